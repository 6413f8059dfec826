// Every canary run is a whole trace, across services, without asking them to trust a sampled
// flag (ADR 0007: they decide by TraceIdRatioBased, a function of the trace id alone). The canary
// picks trace ids that sampler keeps at any ratio of 1 % or more: the XOR of the id's four 32-bit
// words, which is what the sampler compares with ratio × 2³², is made to fall under 1 % of 2³².
// The run's span starts under a local sampled parent carrying that id (its span id marks the run
// and is never exported itself), so the canary records it whatever its own sampler says.
import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';

const KEPT_BELOW = Math.floor(0.01 * 2 ** 32);

/** A random trace id whose TraceIdRatioBased accumulation is under 1 % of 2³². */
export function wholeTraceId(random: (size: number) => Buffer = randomBytes): string {
  const words = random(12);
  const [a, b, c] = [words.readUInt32BE(0), words.readUInt32BE(4), words.readUInt32BE(8)];
  const target = random(4).readUInt32BE(0) % KEPT_BELOW;
  const d = (a ^ b ^ c ^ target) >>> 0;
  const id = [a, b, c, d].map((w) => w.toString(16).padStart(8, '0')).join('');
  // An all-zero id is invalid; astronomically unlikely, but then try again.
  return /^0+$/.test(id) ? wholeTraceId(random) : id;
}

/** The XOR of the four 32-bit words: what TraceIdRatioBased compares with its bound. */
export function samplerAccumulation(traceId: string): number {
  let acc = 0;
  for (let i = 0; i < 32; i += 8) acc = (acc ^ Number.parseInt(traceId.slice(i, i + 8), 16)) >>> 0;
  return acc;
}

/** The context a probe run starts in: a sampled local parent with a kept trace id. */
export function runContext(): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: wholeTraceId(), spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.SAMPLED, isRemote: false });
}
