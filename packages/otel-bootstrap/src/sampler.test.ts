import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { RandomIdGenerator, SamplingDecision } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';
import { createSampler } from './sdk.ts';

describe('default sampler: ParentBased(TraceIdRatio 0.1)', () => {
  const sampler = createSampler(parseConfig({}).config);
  const ids = new RandomIdGenerator();

  it('samples 10,000 root spans within 4.5 sigma of 1,000', () => {
    let sampled = 0;
    for (let i = 0; i < 10_000; i++) {
      const result = sampler.shouldSample(ROOT_CONTEXT, ids.generateTraceId(), 'root', SpanKind.SERVER, {}, []);
      if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) sampled++;
    }
    // Binomial(n=10000, p=0.1): mean 1000, sigma = sqrt(900) = 30.
    expect(sampled).toBeGreaterThanOrEqual(1000 - 4.5 * 30);
    expect(sampled).toBeLessThanOrEqual(1000 + 4.5 * 30);
  });

  it('follows a sampled remote parent', () => {
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: ids.generateTraceId(),
      spanId: ids.generateSpanId(),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    for (let i = 0; i < 100; i++) {
      expect(sampler.shouldSample(parent, ids.generateTraceId(), 'child', SpanKind.SERVER, {}, []).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    }
  });

  it('honours OTEL_TRACES_SAMPLER=always_off', () => {
    const off = createSampler(parseConfig({ OTEL_TRACES_SAMPLER: 'always_off' }).config);
    expect(off.shouldSample(ROOT_CONTEXT, ids.generateTraceId(), 'root', SpanKind.SERVER, {}, []).decision).toBe(SamplingDecision.NOT_RECORD);
  });
});
