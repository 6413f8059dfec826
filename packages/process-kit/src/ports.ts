import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The kernel's range for ephemeral ports (the local ports of outgoing connections and of bind(0)).
 * A port handed out from inside it can be taken by any outgoing connection (a health-check fetch,
 * an exporter) between the moment we pick it and the moment its server binds it; that race made a
 * stack start fail about one time in twenty. Picking below the range avoids it.
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high && low > 12_000) return [low, high];
  } catch {
    // not Linux: fall through to the IANA dynamic range
  }
  return [49152, 65535];
}

const PICK_FROM = 10_000;
const pickBelow = ephemeralRange()[0];
/** Ports this process already handed out: a caller may pick several before binding any. */
const handedOut = new Set<number>();

/** Whether a server could bind `port` on 127.0.0.1 right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port that was free a moment ago on 127.0.0.1, for servers (like Redis) that cannot bind port 0
 * and report it. Chosen at random below the ephemeral range (see above), so nothing but another
 * caller of freePort can take it before its server binds it.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * (pickBelow - PICK_FROM));
    if (handedOut.has(port) || !(await portIsFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`testkit: no free port found in ${PICK_FROM}-${pickBelow - 1} after 200 tries; is something holding that range?`);
}
