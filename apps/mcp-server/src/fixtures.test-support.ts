// Shared by the integration tests: a stub reviewer, a metric reader, telemetry wiring.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { listenLocally } from '@lookout/testkit';
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader, type CollectionResult } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Finding } from '@lookout/reviews';

export const STUB_FINDING: Finding = { module: 'todos', severity: 'info', file: 'a.ts', line: 3, message: 'TODO left in code' };

export interface StubReviewer {
  url: string;
  calls: { headers: IncomingHttpHeaders; body: unknown }[];
  close(): Promise<void>;
}

/** A reviewer stand-in: POST /review answers one finding, GET /health 200. Records what it got. */
export async function startStubReviewer(): Promise<StubReviewer> {
  const calls: StubReviewer['calls'] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      if (req.method === 'POST' && req.url === '/review') {
        calls.push({ headers: req.headers, body: JSON.parse(raw) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ findings: [STUB_FINDING], outcome: 'success', durationMs: 1 }));
        return;
      }
      res.writeHead(404).end();
    });
  });
  return { ...(await listenLocally(server)), calls };
}

/** A reader the test pulls from. */
export class TestMetricReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** Data points of one metric as [attributes, value-or-count] pairs. */
export async function points(reader: TestMetricReader, name: string): Promise<{ attributes: Record<string, unknown>; value: number }[]> {
  const { resourceMetrics }: CollectionResult = await reader.collect();
  const metric = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((point) => ({
    attributes: point.attributes,
    value: typeof point.value === 'number' ? point.value : (point.value as { count: number }).count,
  }));
}

/** Global context manager and W3C propagators (what the bootstrap installs), plus in-memory spans and metrics. */
export function installTestTelemetry() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  const spans = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    spans,
    reader,
    tracer: tracerProvider.getTracer('@lookout/mcp-server'),
    meter: meterProvider.getMeter('@lookout/mcp-server'),
    async uninstall() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      context.disable();
      propagation.disable();
    },
  };
}
