// http-server.ts on a real express 5 app and node:http server, with the SDK in process.
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { AlwaysOnSampler, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientAddressResolver } from './client-address.ts';
import { HTTP_SERVER_SCOPE, instrumentHttpServers } from './http-server.ts';
import { isProbeRequest } from './instrumentations.ts';

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush = async () => {};
  protected onShutdown = async () => {};
}

const spans = new InMemorySpanExporter();
const tracerProvider = new TracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
const reader = new TestReader();
const meterProvider = new MeterProvider({ readers: [reader] });
let undo: () => void;
let server: Server;
let port: number;
let activeInHandler: string | undefined;
let activeInListeners: (string | undefined)[] = [];

function app() {
  const a = express();
  a.use(express.json());
  a.get('/health', (_req, res) => void res.send('ok'));
  a.get('/users/:id', (req, res) => void res.json({ id: req.params.id }));
  a.post('/echo', (req, res) => {
    activeInHandler = trace.getActiveSpan()?.spanContext().spanId; // after body parsing: still in the span
    res.json(req.body);
  });
  // Reads its body by hand: 'data' and 'end' come from the socket, outside any context, unless the
  // request's emit puts them in the span.
  a.post('/by-hand', (req, res) => {
    const active = () => trace.getActiveSpan()?.spanContext().spanId;
    res.on('finish', () => activeInListeners.push(active()));
    req.on('data', () => activeInListeners.push(active()));
    req.on('end', () => {
      activeInListeners.push(active());
      res.end('ok');
    });
  });
  a.get('/boom', () => {
    throw new Error('boom');
  });
  a.get('/hang', () => {}); // never answers: the client gives up
  const mounted = express.Router();
  mounted.get('/:item', (_req, res) => void res.send('ok'));
  a.use('/teams/:team', mounted);
  return a;
}

function send(method: string, path: string, body?: string, abortAfterMs?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, method, path, headers: body ? { 'content-type': 'application/json', 'user-agent': 'curl/8.5.0' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error) => (abortAfterMs ? resolve(0) : reject(error)));
    if (abortAfterMs) setTimeout(() => req.destroy(), abortAfterMs);
    req.end(body);
  });
}

async function durationPoints() {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics.find((s) => s.scope.name === HTTP_SERVER_SCOPE)?.metrics.find((m) => m.descriptor.name === 'http.server.request.duration');
  return (metric?.dataPoints ?? []) as DataPoint<Histogram>[];
}

const waitForSpans = async (n: number) => {
  for (let i = 0; i < 100 && spans.getFinishedSpans().length < n; i++) await new Promise((r) => setTimeout(r, 10));
  return spans.getFinishedSpans();
};

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  undo = instrumentHttpServers({
    tracer: tracerProvider.getTracer(HTTP_SERVER_SCOPE),
    meter: meterProvider.getMeter(HTTP_SERVER_SCOPE),
    clientAddressOf: clientAddressResolver([]),
    ignore: isProbeRequest,
  });
  server = app().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  undo();
  await new Promise((resolve) => server.close(resolve));
  context.disable();
  propagation.disable();
  metrics.disable();
});
beforeEach(() => spans.reset());

describe('server spans', () => {
  it('names the span by the route template, with the request and response attributes', async () => {
    expect(await send('GET', '/users/ghp_secretlookingvalue0000000000000000000?token=x')).toBe(200);
    const [span] = await waitForSpans(1);
    expect(span?.name).toBe('GET /users/:id');
    expect(span?.instrumentationScope.name).toBe(HTTP_SERVER_SCOPE);
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/users/:id',
      'http.response.status_code': 200,
      'url.scheme': 'http',
      'network.protocol.version': '1.1',
      'client.address': '127.0.0.1',
      'server.port': port,
    });
    expect(span?.attributes['url.query']).toBeUndefined(); // never read, so never set
  });

  it('continues the caller trace, and handlers after body parsing run in the span', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ port, method: 'POST', path: '/echo', headers: { 'content-type': 'application/json', traceparent } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ a: 1 }));
    });
    const [span] = await waitForSpans(1);
    expect(span?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(activeInHandler).toBe(span?.spanContext().spanId);
  });

  it('runs the listeners a handler adds in the span: a body read by hand, the response finishing', async () => {
    activeInListeners = [];
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ port, method: 'POST', path: '/by-hand', headers: { 'content-type': 'text/plain' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.write('first part');
      setTimeout(() => req.end('second part'), 20); // a second chunk, emitted later from the socket
    });
    const [span] = await waitForSpans(1);
    expect(activeInListeners.length).toBeGreaterThanOrEqual(3); // data (once or twice), end, finish
    expect(new Set(activeInListeners)).toEqual(new Set([span?.spanContext().spanId]));
  });

  it('marks a 5xx as an error, names an unknown method _OTHER, and gives a client that left error.type aborted', async () => {
    expect(await send('GET', '/boom')).toBe(500);
    expect(await send('PROPFIND', '/users/1')).toBe(404);
    await send('GET', '/hang', undefined, 50);
    const finished = await waitForSpans(3);
    const byName = Object.fromEntries(finished.map((s) => [s.attributes['url.path'], s]));
    expect(byName['/boom']?.status.code).toBe(2);
    expect(byName['/boom']?.attributes['error.type']).toBe('500');
    expect(byName['/users/1']?.name).toBe('_OTHER');
    expect(byName['/users/1']?.attributes['http.request.method']).toBe('_OTHER');
    expect(byName['/hang']?.attributes['error.type']).toBe('aborted');
  });

  it('gives a router mounted at a path no route: its path holds what the client sent', async () => {
    expect(await send('GET', '/teams/acme-secret/item1')).toBe(200);
    const [span] = await waitForSpans(1);
    expect(span?.name).toBe('GET');
    expect(span?.attributes['http.route']).toBeUndefined();
  });
});

describe('http.server.request.duration', () => {
  it('records every request but probes, with the catalog labels and no client text', async () => {
    await send('GET', '/health');
    const points = await durationPoints();
    expect(points.length).toBeGreaterThan(0);
    const labels = points.map((p) => p.attributes);
    expect(labels).toContainEqual({ 'http.request.method': 'GET', 'url.scheme': 'http', 'network.protocol.version': '1.1', 'http.response.status_code': 200, 'http.route': '/users/:id' });
    expect(labels).toContainEqual({ 'http.request.method': 'GET', 'url.scheme': 'http', 'network.protocol.version': '1.1', 'http.response.status_code': 500, 'http.route': '/boom', 'error.type': '500' });
    expect(labels.some((l) => l['http.route'] === '/health')).toBe(false);
    expect(JSON.stringify(labels)).not.toMatch(/acme-secret|ghp_|token/);
    expect(points.every((p) => p.value.buckets.boundaries.at(0) === 0.005)).toBe(true);
  });
});
