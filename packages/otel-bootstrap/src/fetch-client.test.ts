// fetch-client.ts on Node's own fetch against a real node:http server, with the SDK in process.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { context, propagation, trace, TraceFlags, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { AlwaysOnSampler, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { listenLocally, type ListeningServer } from '@lookout/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FETCH_CLIENT_SCOPE, instrumentFetch, userAgentOf } from './fetch-client.ts';
import { skipUnsampledChildren } from './unsampled-children.ts';

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush = async () => {};
  protected onShutdown = async () => {};
}

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const spans = new InMemorySpanExporter();
const tracerProvider = new TracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
// As the bootstrap has it: children of unsampled spans skip the SDK (unsampled-children.ts).
const tracing = skipUnsampledChildren(tracerProvider);
const tracer = tracing.getTracer('test');
const reader = new TestReader();
const meterProvider = new MeterProvider({ readers: [reader] });
let undo: () => void;
let server: ListeningServer;
let received: IncomingHttpHeaders[] = [];

async function durationPoints() {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics.find((s) => s.scope.name === FETCH_CLIENT_SCOPE)?.metrics.find((m) => m.descriptor.name === 'http.client.request.duration');
  return (metric?.dataPoints ?? []) as DataPoint<Histogram>[];
}

const call = async (path: string, parent?: Span) => {
  const go = async () => (await fetch(`${server.url}${path}`, { method: 'POST', body: '{}', headers: { 'user-agent': 'lookout-test/1.0' } })).status;
  return parent ? context.with(trace.setSpan(context.active(), parent), go) : go();
};

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  undo = instrumentFetch({ tracer: tracing.getTracer(FETCH_CLIENT_SCOPE), meter: meterProvider.getMeter(FETCH_CLIENT_SCOPE) });
  server = await listenLocally(
    createServer((request, response) => {
      received.push(request.headers);
      request.resume();
      request.on('end', () => response.writeHead(request.url === '/missing' ? 404 : 200).end('{}'));
    }),
  );
});

afterAll(async () => {
  undo();
  await server.close();
  context.disable();
  propagation.disable();
});

beforeEach(() => {
  spans.reset();
  received = [];
});

describe('fetch client spans', () => {
  it('makes a CLIENT span under a recording parent and sends its traceparent', async () => {
    const parent = tracer.startSpan('parent');
    expect(await call('/ok?x=1', parent)).toBe(200);
    parent.end();
    const client = spans.getFinishedSpans().find((s) => s.name === 'POST');
    expect(client).toBeDefined();
    expect(client!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(received[0]?.traceparent).toBe(`00-${parent.spanContext().traceId}-${client!.spanContext().spanId}-01`);
    expect(client!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': `${server.url}/ok?x=1`,
      'url.path': '/ok',
      'url.query': '?x=1',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(server.url).port),
      'user_agent.original': 'lookout-test/1.0',
      'network.protocol.version': '1.1',
      'http.response.status_code': 200,
    });
  });

  it('under an unsampled parent records nothing and passes the trace on, unsampled', async () => {
    const parent = trace.wrapSpanContext({ traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    expect(await call('/ok', parent)).toBe(200);
    expect(spans.getFinishedSpans()).toEqual([]);
    expect(received[0]?.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-00$`));
  });

  it('outside any trace makes no span and sends no traceparent, but sends the baggage', async () => {
    const withBaggage = propagation.setBaggage(context.active(), propagation.createBaggage({ request_id: { value: 'r1' } }));
    expect(await context.with(withBaggage, () => call('/ok'))).toBe(200);
    expect(spans.getFinishedSpans()).toEqual([]);
    expect(received[0]?.traceparent).toBeUndefined();
    expect(received[0]?.baggage).toBe('request_id=r1');
  });

  it('marks a 4xx answer and a refused connection as errors', async () => {
    const parent = tracer.startSpan('parent');
    expect(await call('/missing', parent)).toBe(404);
    const closed = await listenLocally(createServer());
    await closed.close();
    await expect(context.with(trace.setSpan(context.active(), parent), () => fetch(`${closed.url}/x`))).rejects.toThrow();
    parent.end();
    const [notFound, refused] = spans.getFinishedSpans().filter((s) => s.name !== 'parent');
    expect(notFound?.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' });
    expect(notFound?.status.code).toBe(2);
    expect(refused?.attributes['error.type']).toBe('ECONNREFUSED');
    expect(refused?.status.code).toBe(2);
    expect(refused?.events.some((e) => e.name === 'exception')).toBe(true);
  });
});

describe('http.client.request.duration', () => {
  it("records every call with the catalog's labels and no others", async () => {
    await call('/ok');
    await call('/missing');
    const points = await durationPoints();
    const labelSets = points.map((p) => p.attributes);
    const port = Number(new URL(server.url).port);
    const base = { 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'server.port': port, 'url.scheme': 'http', 'network.protocol.version': '1.1' };
    expect(labelSets).toContainEqual({ ...base, 'http.response.status_code': 200 });
    expect(labelSets).toContainEqual({ ...base, 'http.response.status_code': 404, 'error.type': '404' });
    const allowed = new Set(['http.request.method', 'http.response.status_code', 'server.address', 'server.port', 'url.scheme', 'network.protocol.version', 'error.type']);
    for (const labels of labelSets) for (const key of Object.keys(labels)) expect(allowed).toContain(key);
    expect(points.every((p) => p.value.count >= 1 && p.value.sum! >= 0)).toBe(true);
  });

  it('stops when undone: no headers added, nothing recorded', async () => {
    undo();
    const before = (await durationPoints()).reduce((n, p) => n + p.value.count, 0);
    const parent = tracer.startSpan('parent');
    await call('/ok', parent);
    parent.end();
    expect(received[0]?.traceparent).toBeUndefined();
    expect((await durationPoints()).reduce((n, p) => n + p.value.count, 0)).toBe(before);
    undo = instrumentFetch({ tracer: tracing.getTracer(FETCH_CLIENT_SCOPE), meter: meterProvider.getMeter(FETCH_CLIENT_SCOPE) });
  });
});

describe('userAgentOf', () => {
  it('reads the header from either form undici holds headers in', () => {
    expect(userAgentOf('host: reviewer\r\nUser-Agent:  lookout/1.0 \r\naccept: */*\r\n')).toBe('lookout/1.0');
    expect(userAgentOf(['host', 'reviewer', 'user-agent', 'a/1', 'User-Agent', 'b/2'])).toBe('b/2');
    expect(userAgentOf('host: reviewer\r\n')).toBeUndefined();
    expect(userAgentOf(['host', 'reviewer'])).toBeUndefined();
  });
});
