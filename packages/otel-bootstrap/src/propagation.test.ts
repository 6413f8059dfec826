import { ROOT_CONTEXT, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createPropagator } from './propagation.ts';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('propagator', () => {
  const propagator = createPropagator();

  it('drops an inbound tracestate, keeps the trace context and the baggage', () => {
    const extracted = propagator.extract(ROOT_CONTEXT, { traceparent: TRACEPARENT, tracestate: 'evil=sk-ant-0000000000000000000000', baggage: 'a=b' }, defaultTextMapGetter);
    const spanContext = trace.getSpanContext(extracted);
    expect(spanContext).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', isRemote: true });
    expect(spanContext?.traceState).toBeUndefined();
    const carrier: Record<string, string> = {};
    propagator.inject(extracted, carrier, defaultTextMapSetter);
    expect(carrier.traceparent).toBe(TRACEPARENT);
    expect(carrier.tracestate).toBeUndefined();
    expect(carrier.baggage).toBe('a=b');
    expect(propagator.fields()).toEqual(expect.arrayContaining(['traceparent', 'tracestate', 'baggage']));
  });
});
