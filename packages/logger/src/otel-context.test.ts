import { setTimeout as sleep } from 'node:timers/promises';
import { context, propagation, trace, TraceFlags, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, getLogContext, logContextFromBaggage, withLogContext } from './index.ts';
import { captureLines } from './testing/index.ts';

// This file registers what @lookout/otel-bootstrap registers for context: an ALS context manager
// and the W3C trace-context + baggage propagators.

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
});
afterAll(() => {
  context.disable();
  propagation.disable();
});

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const spanWith = (traceFlags: number, spanId = SPAN_ID): Span => trace.wrapSpanContext({ traceId: TRACE_ID, spanId, traceFlags });
const inSpan = <T>(span: Span, fn: () => T): T => context.with(trace.setSpan(context.active(), span), fn);

describe('trace correlation', () => {
  it('adds trace_id, span_id and trace_flags for a sampled span', () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    inSpan(spanWith(TraceFlags.SAMPLED), () => log.info('sampled'));
    expect(capture.lines[0]).toMatchObject({ trace_id: TRACE_ID, span_id: SPAN_ID, trace_flags: '01', msg: 'sampled' });
  });

  it('adds them for a non-recording, unsampled span too', () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    const span = spanWith(TraceFlags.NONE);
    expect(span.isRecording()).toBe(false);
    inSpan(span, () => log.info('unsampled'));
    expect(capture.lines[0]).toMatchObject({ trace_id: TRACE_ID, span_id: SPAN_ID, trace_flags: '00' });
  });

  it('follows the active span as it changes, across awaits, and leaves invalid spans out', async () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    await inSpan(spanWith(1, '1111111111111111'), async () => {
      log.info('a');
      await inSpan(spanWith(1, '2222222222222222'), async () => {
        await sleep(1);
        log.info('b');
      });
      log.info('c');
    });
    inSpan(trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }), () => log.info('invalid'));
    log.info('none');
    expect(capture.lines.map((line) => line.span_id)).toEqual(['1111111111111111', '2222222222222222', '1111111111111111', undefined, undefined]);
    expect(capture.lines[3]).not.toHaveProperty('trace_id');
  });

  it('combines context and trace fields on one line, without duplicates', () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination }).child({ logger: 'both' });
    withLogContext({ requestId: 'req-7', userId: 'u-7' }, () => inSpan(spanWith(1), () => log.info('x')));
    const raw = capture.text();
    expect(capture.lines[0]).toMatchObject({ logger: 'both', request_id: 'req-7', user_id: 'u-7', trace_id: TRACE_ID, span_id: SPAN_ID, trace_flags: '01' });
    expect(raw.match(/"request_id"/g)).toHaveLength(1);
    expect(raw.match(/"trace_id"/g)).toHaveLength(1);
  });
});

describe('baggage', () => {
  it('puts request_id and user_id into the baggage of the context fn runs in', async () => {
    const headers: Record<string, string> = {};
    await withLogContext({ requestId: 'req-1', userId: 'user-1', jobId: 'not-in-baggage' }, async () => {
      await sleep(1);
      propagation.inject(context.active(), headers);
    });
    expect(headers.baggage?.split(',').sort()).toEqual(['request_id=req-1', 'user_id=user-1']);
  });

  it('keeps baggage entries set by others', () => {
    const upstream = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: 'acme' } }));
    const headers: Record<string, string> = {};
    context.with(upstream, () => withLogContext({ requestId: 'r2' }, () => propagation.inject(context.active(), headers)));
    expect(headers.baggage?.split(',').sort()).toEqual(['request_id=r2', 'tenant=acme']);
  });

  it('reads request_id/user_id back from incoming baggage, as a downstream service would', () => {
    const incoming = propagation.extract(context.active(), { baggage: 'request_id=req-up,user_id=user-up,other=1' });
    const seen = context.with(incoming, () => logContextFromBaggage());
    expect(seen).toEqual({ requestId: 'req-up', userId: 'user-up' });
    expect(logContextFromBaggage()).toEqual({});
  });

  it('logs baggage request_id/user_id when there is no withLogContext, masked like any input', () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    const incoming = propagation.extract(context.active(), { baggage: 'request_id=req-up,user_id=token%3Dabcdef123' });
    context.with(incoming, () => {
      log.info('from baggage');
      expect(getLogContext()).toMatchObject({ requestId: 'req-up' });
    });
    expect(capture.lines[0]).toMatchObject({ request_id: 'req-up', user_id: 'token=[REDACTED]' });
  });

  it('prefers withLogContext over baggage, and continues the caller id in a middleware-like flow', () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    const incoming = propagation.extract(context.active(), { baggage: 'request_id=req-up,user_id=user-up' });
    context.with(incoming, () => {
      const upstream = logContextFromBaggage();
      withLogContext({ ...upstream, route: '/x' }, () => log.info('continued'));
      withLogContext({ requestId: 'mine' }, () => log.info('own id'));
    });
    expect(capture.lines[0]).toMatchObject({ request_id: 'req-up', user_id: 'user-up', route: '/x' });
    expect(capture.lines[1]).toMatchObject({ request_id: 'mine' });
  });
});
