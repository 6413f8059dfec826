// client.address for server spans. The HTTP instrumentation takes it from `Forwarded` or
// `X-Forwarded-For` whoever sent them, so any client could write any string there. Here those
// headers count only when the socket peer is a configured proxy (LOOKOUT_TRUSTED_PROXIES); then
// X-Forwarded-For is walked from the right, past our own proxies, to the first address they vouch for.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** The bare IP of a socket address or an X-Forwarded-For hop ("[::1]:80", "1.2.3.4:5"); else undefined. */
export function bareIp(value: string): string | undefined {
  let address = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1] as string;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = IPV4_MAPPED.exec(address)?.[1] ?? address;
  return isIP(address) === 0 ? undefined : address;
}

function proxyList(trustedProxies: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

export type ClientAddressOf = (request: Pick<IncomingMessage, 'headers' | 'socket'>) => string | undefined;

/** Builds the client.address resolver for the configured proxies (none: always the socket peer). */
export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  const proxies = proxyList(trustedProxies);
  const isProxy = (ip: string) => proxies.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  return (request) => {
    let client = bareIp(request.socket.remoteAddress ?? '');
    if (client === undefined || trustedProxies.length === 0) return client;
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').reverse();
    for (const hop of hops) {
      if (!isProxy(client)) break;
      const ip = bareIp(hop);
      if (ip === undefined) break; // a garbled chain: stop at the last proxy we trust
      client = ip;
    }
    return client;
  };
}
