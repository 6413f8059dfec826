import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, type Context } from '@opentelemetry/api';
import { RandomIdGenerator, SamplingDecision } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';
import { createSampler } from './sampler.ts';
import { sampledTraceId, unsampledTraceId } from './testing/trace-ids.ts';

const ids = new RandomIdGenerator();
/** A trace id the 10 % ratio keeps (or drops): what a caller picks to test us. */
const traceIdWhere = (sampled: boolean) => (sampled ? sampledTraceId() : unsampledTraceId());
const parent = (traceId: string, flags: TraceFlags, isRemote: boolean): Context =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: ids.generateSpanId(), traceFlags: flags, isRemote });
const decide = (sampler: ReturnType<typeof createSampler>, context: Context, traceId: string) =>
  sampler.shouldSample(context, traceId, 'span', SpanKind.SERVER, {}, []).decision;

describe('default sampler: ParentBased(TraceIdRatio 0.1), inbound sampling not trusted', () => {
  const sampler = createSampler(parseConfig({}).config.sampler);

  it('samples 10,000 root spans within 4.5 sigma of 1,000', () => {
    let sampled = 0;
    for (let i = 0; i < 10_000; i++) if (decide(sampler, ROOT_CONTEXT, ids.generateTraceId()) === SamplingDecision.RECORD_AND_SAMPLED) sampled++;
    // Binomial(n=10000, p=0.1): mean 1000, sigma = sqrt(900) = 30.
    expect(sampled).toBeGreaterThanOrEqual(1000 - 4.5 * 30);
    expect(sampled).toBeLessThanOrEqual(1000 + 4.5 * 30);
  });

  it('ignores the sampled flag of a remote parent: the trace id decides, as at the root', () => {
    for (let i = 0; i < 50; i++) {
      const rejected = traceIdWhere(false);
      expect(decide(sampler, parent(rejected, TraceFlags.SAMPLED, true), rejected)).toBe(SamplingDecision.NOT_RECORD);
      const accepted = traceIdWhere(true);
      expect(decide(sampler, parent(accepted, TraceFlags.NONE, true), accepted)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    }
  });

  it('agrees with the service that started the trace, so traces stay whole across our services', () => {
    for (let i = 0; i < 200; i++) {
      const traceId = ids.generateTraceId();
      const atTheEdge = decide(sampler, ROOT_CONTEXT, traceId);
      const flags = atTheEdge === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE;
      expect(decide(sampler, parent(traceId, flags, true), traceId)).toBe(atTheEdge);
    }
  });

  it('follows a local parent either way: a process keeps its own decision', () => {
    const rejected = traceIdWhere(false);
    expect(decide(sampler, parent(rejected, TraceFlags.SAMPLED, false), rejected)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    const accepted = traceIdWhere(true);
    expect(decide(sampler, parent(accepted, TraceFlags.NONE, false), accepted)).toBe(SamplingDecision.NOT_RECORD);
  });
});

describe('LOOKOUT_TRUST_INBOUND_SAMPLING=true', () => {
  it('follows a sampled remote parent whatever its trace id', () => {
    const sampler = createSampler(parseConfig({ LOOKOUT_TRUST_INBOUND_SAMPLING: 'true' }).config.sampler);
    for (let i = 0; i < 50; i++) {
      const rejected = traceIdWhere(false);
      expect(decide(sampler, parent(rejected, TraceFlags.SAMPLED, true), rejected)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    }
  });
});

describe('other samplers', () => {
  it('honours OTEL_TRACES_SAMPLER=always_off', () => {
    const off = createSampler(parseConfig({ OTEL_TRACES_SAMPLER: 'always_off' }).config.sampler);
    expect(decide(off, ROOT_CONTEXT, ids.generateTraceId())).toBe(SamplingDecision.NOT_RECORD);
  });

  it('parentbased_always_on records a remote parent that is not sampled, unless trusted', () => {
    const traceId = ids.generateTraceId();
    const notSampled = parent(traceId, TraceFlags.NONE, true);
    expect(decide(createSampler(parseConfig({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }).config.sampler), notSampled, traceId)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    const trusting = parseConfig({ OTEL_TRACES_SAMPLER: 'parentbased_always_on', LOOKOUT_TRUST_INBOUND_SAMPLING: 'true' }).config.sampler;
    expect(decide(createSampler(trusting), notSampled, traceId)).toBe(SamplingDecision.NOT_RECORD);
  });
});
