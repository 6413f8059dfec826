import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.ts';

function makeSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    sampler: new AlwaysOnSampler(),
    resource: resourceFromAttributes({ 'service.name': 'receiver-test' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('receiver-test');
  const parent = tracer.startSpan('parent', { kind: SpanKind.SERVER, attributes: { 'http.route': '/x', count: 3 } });
  // Explicit parent context: no context manager is registered in this test.
  tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
  parent.end();
  return memory.getFinishedSpans();
}

function send(exporter: SpanExporter, spans: ReadableSpan[]): Promise<number> {
  return new Promise((resolve) => exporter.export(spans, (result) => resolve(result.code)));
}

describe('OTLP test receiver', () => {
  let receiver: OtlpReceiver | undefined;
  afterEach(() => receiver?.stop());

  it.each([
    ['http/protobuf', (url: string) => new ProtoTraceExporter({ url: `${url}/v1/traces` })],
    ['http/json', (url: string) => new JsonTraceExporter({ url: `${url}/v1/traces` })],
  ])('decodes %s trace exports into the same shape', async (_protocol, makeExporter) => {
    receiver = await startOtlpReceiver();
    const spans = makeSpans();
    expect(await send(makeExporter(receiver.url), spans)).toBe(0);

    const received = await receiver.waitFor((r) => (r.spans().length === 2 ? r.spans() : undefined), { what: 'two spans' });
    const parent = received.find((s) => s.name === 'parent');
    const child = received.find((s) => s.name === 'child');
    expect(parent).toMatchObject({ kind: SpanKind.SERVER + 1, attributes: { 'http.route': '/x', count: 3 }, resource: { 'service.name': 'receiver-test' }, scope: 'receiver-test' });
    const original = spans.find((s) => s.name === 'parent')!;
    expect(parent?.traceId).toBe(original.spanContext().traceId);
    expect(parent?.spanId).toBe(original.spanContext().spanId);
    expect(child?.parentSpanId).toBe(original.spanContext().spanId);
  });

  it('can be stopped and restarted on the same port', async () => {
    receiver = await startOtlpReceiver();
    const port = receiver.port;
    const exporter = new ProtoTraceExporter({ url: `${receiver.url}/v1/traces`, timeoutMillis: 1000 });
    await receiver.stop();
    expect(receiver.running).toBe(false);
    expect(await send(exporter, makeSpans())).toBe(1);

    await receiver.start();
    expect(receiver.port).toBe(port);
    expect(await send(exporter, makeSpans())).toBe(0);
    expect(receiver.spans()).toHaveLength(2);
  });

  it('rejects unknown paths and times out waitFor with a clear message', async () => {
    receiver = await startOtlpReceiver();
    expect((await fetch(`${receiver.url}/v1/profiles`, { method: 'POST' })).status).toBe(404);
    await expect(receiver.waitFor(() => false, { timeoutMs: 100, what: 'nothing' })).rejects.toThrow(/waiting for nothing \(requests received: traces=0/);
  });
});
