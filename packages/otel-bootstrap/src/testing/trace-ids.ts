// Trace ids on either side of a TraceIdRatioBased sampler. With inbound sampling not trusted (the
// default), a service decides a remote parent by its trace id, so a test that wants a trace recorded
// by every service sends one of these rather than counting on the sampled flag.
import { randomBytes } from 'node:crypto';
import type { TraceIdRatioBasedSampler as Sampler } from '@opentelemetry/sdk-trace';
import { requireOtel } from '../otel.ts';

function traceIdWhere(sampled: boolean, ratio: number): string {
  if (sampled ? ratio <= 0 : ratio >= 1) throw new Error(`trace-ids: no trace id is ${sampled ? 'kept' : 'dropped'} at ratio ${ratio}`);
  const { TraceIdRatioBasedSampler } = requireOtel('@opentelemetry/sdk-trace') as { TraceIdRatioBasedSampler: typeof Sampler };
  const sampler = new TraceIdRatioBasedSampler(ratio);
  for (;;) {
    const traceId = randomBytes(16).toString('hex');
    // RECORD_AND_SAMPLED is 2; only the trace id matters to this sampler.
    if ((sampler.shouldSample(undefined as never, traceId).decision === 2) === sampled) return traceId;
  }
}

/** A random trace id the ratio sampler keeps (default ratio: the bootstrap's 0.1). */
export const sampledTraceId = (ratio = 0.1): string => traceIdWhere(true, ratio);
/** A random trace id the ratio sampler drops. */
export const unsampledTraceId = (ratio = 0.1): string => traceIdWhere(false, ratio);
