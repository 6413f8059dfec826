import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator, CompositePropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureJobContext, defaultJobOptions, jobRetention, restoreJobContext } from './queue.ts';

const REQUEST_ID = '0b9e6c1a-4f7d-4c7e-9a51-3b2c8d0e1f21';

describe('job context', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  });
  afterAll(() => {
    context.disable();
    propagation.disable();
  });

  it('carries the span context and baggage from producer to consumer', () => {
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
    const baggage = propagation.createBaggage({ request_id: { value: REQUEST_ID }, user_id: { value: 'key-1' } });
    const producer = propagation.setBaggage(trace.setSpanContext(context.active(), spanContext), baggage);
    const carrier = context.with(producer, captureJobContext);
    expect(carrier.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');

    const consumer = restoreJobContext(JSON.parse(JSON.stringify(carrier)));
    expect(trace.getSpanContext(consumer)?.traceId).toBe(spanContext.traceId);
    expect(propagation.getBaggage(consumer)?.getEntry('request_id')?.value).toBe(REQUEST_ID);
  });

  it('puts only allow-listed, valid baggage entries in job data: secrets a client sends stay out of Redis', () => {
    const secret = `ghp_${'c'.repeat(36)}`;
    const client = propagation.extract(context.active(), { baggage: `request_id=${secret},note=${secret},user_id=key-1` });
    const carrier = context.with(client, captureJobContext);
    expect(JSON.stringify(carrier)).not.toContain(secret);
    expect(carrier.baggage).toBe('user_id=key-1');
    const nothing = context.with(propagation.extract(context.active(), { baggage: `note=${secret}` }), captureJobContext);
    expect(nothing.baggage).toBeUndefined();
    // A job written by something else: its consumer still reads only the allow-list.
    const restored = restoreJobContext({ baggage: `note=${secret},user_id=key-1` });
    expect(propagation.getBaggage(restored)?.getAllEntries()).toEqual([['user_id', { value: 'key-1' }]]);
  });
});

describe('job retention', () => {
  it('bounds finished jobs by age and by count, failed ones included', () => {
    for (const keep of [defaultJobOptions.removeOnComplete, defaultJobOptions.removeOnFail]) {
      expect(keep.age).toBeGreaterThan(0);
      expect(keep.count).toBeGreaterThan(0);
    }
    // Failed jobs keep their diff for requeueing; not longer than the ReviewStore keeps the review.
    expect(jobRetention.failed.age).toBeLessThanOrEqual(7 * 24 * 3600);
    expect(jobRetention.completed.age).toBeLessThan(jobRetention.failed.age);
  });
});
