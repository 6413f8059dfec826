import { context, propagation, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mcpSpanName, parentContextFromMeta, startMcpServerSpan, traceCarrierFromMeta } from './trace-meta.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;

describe('trace context from params._meta', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('test');
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  });
  afterAll(async () => {
    context.disable();
    propagation.disable();
    await provider.shutdown();
  });
  beforeEach(() => exporter.reset());

  it('reads traceparent and tracestate, and nothing without a traceparent', () => {
    expect(traceCarrierFromMeta({ _meta: { traceparent: PARENT, tracestate: 'a=b', baggage: 'user_id=evil', other: 1 } })).toEqual({ traceparent: PARENT, tracestate: 'a=b' });
    expect(traceCarrierFromMeta({ _meta: { tracestate: 'a=b' } })).toBeUndefined();
    expect(traceCarrierFromMeta({ _meta: { traceparent: 42 } })).toBeUndefined();
    expect(traceCarrierFromMeta({ name: 'x' })).toBeUndefined();
    expect(traceCarrierFromMeta(undefined)).toBeUndefined();
    expect(traceCarrierFromMeta([])).toBeUndefined();
  });

  it('takes the span context from _meta over the HTTP one, and keeps the request baggage', () => {
    const httpParent = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), traceFlags: TraceFlags.SAMPLED });
    const base = propagation.setBaggage(httpParent, propagation.createBaggage({ user_id: { value: 'key-1' } }));
    const parent = parentContextFromMeta({ _meta: { traceparent: PARENT, baggage: 'user_id=evil' } }, base);
    expect(trace.getSpanContext(parent)).toMatchObject({ traceId: TRACE_ID, spanId: 'b7ad6b7169203331', isRemote: true });
    expect(propagation.getBaggage(parent)?.getEntry('user_id')?.value).toBe('key-1');
  });

  it('falls back to the HTTP parent when _meta has none or an invalid one', () => {
    const base = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), traceFlags: TraceFlags.SAMPLED });
    expect(parentContextFromMeta({}, base)).toBe(base);
    expect(trace.getSpanContext(parentContextFromMeta({ _meta: { traceparent: 'garbage' } }, base))?.traceId).toBe('f'.repeat(32));
  });

  it('starts a SERVER span named per MCP semconv under the _meta parent', () => {
    const { span, context: spanContext } = startMcpServerSpan(
      tracer,
      { method: 'tools/call', toolName: 'review_diff', requestId: 7 },
      { name: 'review_diff', _meta: { traceparent: PARENT } },
      ROOT_CONTEXT,
    );
    expect(trace.getSpan(spanContext)).toBe(span);
    span.end();
    const [finished] = exporter.getFinishedSpans();
    expect(finished?.name).toBe('tools/call review_diff');
    expect(finished?.kind).toBe(SpanKind.SERVER);
    expect(finished?.spanContext().traceId).toBe(TRACE_ID);
    expect(finished?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(finished?.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'review_diff', 'jsonrpc.request.id': '7' });
    expect(finished?.attributes['mcp.session.id']).toBeUndefined();
  });

  it('names unknown methods and tools _OTHER', () => {
    expect(mcpSpanName({ method: 'tools/call', toolName: 'x'.repeat(1000) })).toBe('tools/call _OTHER');
    expect(mcpSpanName({ method: 'ghp_000000000000000000000000000000000000' })).toBe('_OTHER');
    expect(mcpSpanName({ method: 'ping' })).toBe('ping');
  });
});
