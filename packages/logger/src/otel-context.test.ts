import { setTimeout as sleep } from 'node:timers/promises';
import { context, propagation, trace, TraceFlags, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedBaggage, createLogger, getLogContext, logContextFromBaggage, withLogContext } from './index.ts';
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

const REQ_1 = '0b9e6c1a-4f7d-4c7e-9a51-3b2c8d0e1f21';
const REQ_UP = '7d3f9a2e-1c4b-4e8a-b6d5-0f1e2a3b4c5d';

describe('baggage', () => {
  it('puts request_id and user_id into the baggage of the context fn runs in', async () => {
    const headers: Record<string, string> = {};
    await withLogContext({ requestId: REQ_1, userId: 'user-1', jobId: 'not-in-baggage' }, async () => {
      await sleep(1);
      propagation.inject(context.active(), headers);
    });
    expect(headers.baggage?.split(',').sort()).toEqual([`request_id=${REQ_1}`, 'user_id=user-1']);
  });

  it('passes on no entry beyond the allow-list, and no value of the wrong shape', () => {
    const upstream = propagation.extract(context.active(), { baggage: `tenant=acme,secret=ghp_${'a'.repeat(36)},user_id=token%3Dabcdef123` });
    const headers: Record<string, string> = {};
    context.with(upstream, () => withLogContext({ requestId: REQ_1 }, () => propagation.inject(context.active(), headers)));
    expect(headers.baggage?.split(',').sort()).toEqual([`request_id=${REQ_1}`]);
    const cleaned = allowedBaggage(propagation.createBaggage({ request_id: { value: 'not-a-uuid' }, user_id: { value: 'ann' }, x: { value: 'y' } }));
    expect(cleaned?.getAllEntries()).toEqual([['user_id', { value: 'ann' }]]);
    expect(allowedBaggage(propagation.createBaggage({ x: { value: 'y' } }))).toBeUndefined();
  });

  it("passes a caller's allowed entries on without their metadata, and keeps their baggage when it has nothing else", () => {
    const forwarded = (baggage: string) => {
      const headers: Record<string, string> = {};
      const upstream = propagation.extract(context.active(), { baggage });
      context.with(upstream, () => withLogContext({ ...logContextFromBaggage() }, () => propagation.inject(context.active(), headers)));
      return headers.baggage?.split(',').sort();
    };
    expect(forwarded(`request_id=${REQ_UP};note=ghp_${'c'.repeat(36)},user_id=user-up`)).toEqual([`request_id=${REQ_UP}`, 'user_id=user-up']);
    expect(forwarded(`request_id=${REQ_UP},user_id=user-up`)).toEqual([`request_id=${REQ_UP}`, 'user_id=user-up']);
    // Nested, as a service's request middleware and then its auth: the inner call adds its user id.
    const headers: Record<string, string> = {};
    withLogContext({ requestId: REQ_1 }, () => withLogContext({ userId: 'user-2' }, () => propagation.inject(context.active(), headers)));
    expect(headers.baggage?.split(',').sort()).toEqual([`request_id=${REQ_1}`, 'user_id=user-2']);
  });

  it('reads request_id/user_id back from incoming baggage, as a downstream service would', () => {
    const incoming = propagation.extract(context.active(), { baggage: `request_id=${REQ_UP},user_id=user-up,other=1` });
    const seen = context.with(incoming, () => logContextFromBaggage());
    expect(seen).toEqual({ requestId: REQ_UP, userId: 'user-up' });
    expect(logContextFromBaggage()).toEqual({});
  });

  it('ignores a baggage request_id that is not a UUID and a secret-shaped user_id (a client may send anything)', () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    const secret = `ghp_${'b'.repeat(36)}`;
    const incoming = propagation.extract(context.active(), { baggage: `request_id=${secret},user_id=token%3Dabcdef123` });
    context.with(incoming, () => {
      log.info('from baggage');
      expect(getLogContext()).toEqual({});
    });
    expect(capture.text()).not.toContain(secret);
    expect(capture.text()).not.toContain('abcdef123');
    expect(capture.lines[0]).not.toHaveProperty('request_id');
  });

  it('prefers withLogContext over baggage, and continues the caller id in a middleware-like flow', () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    const incoming = propagation.extract(context.active(), { baggage: `request_id=${REQ_UP},user_id=user-up` });
    context.with(incoming, () => {
      const upstream = logContextFromBaggage();
      withLogContext({ ...upstream, route: '/x' }, () => log.info('continued'));
      withLogContext({ requestId: 'mine' }, () => log.info('own id'));
    });
    expect(capture.lines[0]).toMatchObject({ request_id: REQ_UP, user_id: 'user-up', route: '/x' });
    expect(capture.lines[1]).toMatchObject({ request_id: 'mine' });
  });
});
