// Real child processes (Node 24 from node_modules/.bin) loading the bootstrap
// with --require / --import, exporting to the real OTLP test receiver.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntil } from '@lookout/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SECONDS_BUCKETS } from './sdk.ts';
import { HTTP_SERVER_SCOPE } from './http-server.ts';
import { REGISTER, runningApps, startFixtureApp } from './testing/fixture-app.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@lookout/testkit';

const SERVER = 2; // SpanKind.SERVER + 1 in OTLP numbering

function serverSpans(receiver: OtlpReceiver, route: string): ReceivedSpan[] {
  return receiver.spans().filter((span) => span.kind === SERVER && span.attributes['http.route'] === route);
}

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await Promise.all(runningApps.splice(0).map((child) => child.stop(2000)));
  await receiver.start();
  receiver.clear();
});
afterAll(() => receiver.stop());

const endpoint = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });

describe('CommonJS app with --require', () => {
  it('exports traces, metrics and logs with the service resource, over http/protobuf', async () => {
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], endpoint());
    const body = (await (await app.get('/hello')).json()) as { bootstrapped: boolean };
    expect(body.bootstrapped).toBe(true);
    await app.get('/log');

    const span = await receiver.waitFor((r) => r.spans().find((s) => s.kind === SERVER && s.name === 'GET'), { what: 'an http server span' });
    expect(span.resource).toMatchObject({
      'service.name': 'fixture-service',
      'deployment.environment.name': 'test',
      'process.runtime.name': 'nodejs',
      'telemetry.sdk.name': 'opentelemetry',
    });
    expect(span.resource['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(span.resource['host.name']).toEqual(expect.any(String));

    const duration = await receiver.waitFor(
      (r) => r.metrics().find((m) => m.name === 'http.server.request.duration' && m.dataPoints.length > 0),
      { what: 'http.server.request.duration' },
    );
    expect(duration.unit).toBe('s');
    expect(duration.dataPoints[0]?.explicitBounds).toEqual(SECONDS_BUCKETS);
    expect(duration.resource['service.name']).toBe('fixture-service');
    // The exporters' own requests to the collector are not measured.
    expect(receiver.metrics().some((m) => m.name === 'http.client.request.duration')).toBe(false);

    const log = await receiver.waitFor((r) => r.logRecords().find((l) => l.body === 'fixture log line'), { what: 'the @lookout/logger record' });
    // Exported from the transport worker, under the very same resource as the spans.
    expect(log.resource).toEqual(span.resource);
    expect(log.attributes).toMatchObject({ order: 42 });
    expect(receiver.requests.every((request) => request.encoding === 'protobuf')).toBe(true);
    expect(app.diagnostics()).toEqual([]);
  });

  it('serves Prometheus text with seconds buckets and the dropped-items counter from metricsHandler', async () => {
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], { ...endpoint(), OTEL_METRICS_EXPORTER: 'none' });
    await app.get('/hello');
    const response = await app.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('# TYPE http_server_request_duration histogram');
    expect(text).toMatch(/http_server_request_duration_bucket\{[^}]*le="0\.005"\}/);
    expect(text).toMatch(/http_server_request_duration_bucket\{[^}]*le="10"\}/);
    expect(text).not.toMatch(/http_server_request_duration_bucket\{[^}]*le="5000"\}/);
    expect(text).toMatch(/lookout_telemetry_dropped_total\{[^}]*signal="traces"[^}]*reason="export_failed"[^}]*\} 0/);
  });

  it('uses http/json when asked', async () => {
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], { ...endpoint(), OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    await app.get('/hello');
    await receiver.waitFor((r) => r.spans().find((s) => s.kind === SERVER), { what: 'a server span over JSON' });
    expect(receiver.requests.find((request) => request.signal === 'traces')?.encoding).toBe('json');
  });
});

describe('ESM express 5 app', () => {
  for (const [label, loader] of [
    ['--import', ['--import', REGISTER]],
    ['--require only', ['--require', REGISTER]],
  ] as const) {
    it(`is instrumented with ${label}: server spans named by route, no express spans, pino logs, app metrics`, async () => {
      const app = await startFixtureApp('express-app.mjs', [...loader], endpoint());
      expect((await app.get('/users/7')).status).toBe(200);
      await app.get('/log');

      const [server] = await receiver.waitFor((r) => {
        const spans = serverSpans(r, '/users/:id');
        return spans.length > 0 ? spans : undefined;
      }, { what: 'the express route server span' });
      expect(server?.name).toBe('GET /users/:id');
      expect(server?.resource['service.name']).toBe('fixture-service');
      // The route came from express's req.route; no layer makes a span of its own (a handler span
      // repeated the server span): the server span is the only span of the request.
      expect(server?.scope).toBe(HTTP_SERVER_SCOPE);
      expect(receiver.spans().filter((s) => s.traceId === server?.traceId)).toHaveLength(1);

      const record = await receiver.waitFor((r) => r.logRecords().find((l) => l.body === 'fixture log line'), { what: 'the @lookout/logger record' });
      expect(record.attributes).toMatchObject({ order: 42, logger: 'express-app.mjs' });
      // The transport worker lifts the line's trace_id/span_id into the record's span context.
      const [logRequestSpan] = await receiver.waitFor((r) => (serverSpans(r, '/log').length > 0 ? serverSpans(r, '/log') : undefined), { what: 'the /log span' });
      expect(record.traceId).toBe(logRequestSpan?.traceId);
      const line = app.process.output().split('\n').find((l) => l.includes('fixture log line')) ?? '';
      expect(line).toContain(`"trace_id":"${logRequestSpan?.traceId}"`);
      // The ids are written once, by @lookout/logger (no instrumentation-pino mixin).
      expect(line.match(/"trace_id"/g)).toHaveLength(1);
      await receiver.waitFor((r) => r.metrics().find((m) => m.name === 'fixture.hits'), { what: 'the app counter' });
      const duration = await receiver.waitFor(
        (r) => r.metrics().find((m) => m.name === 'http.server.request.duration' && m.dataPoints.some((p) => p.attributes['http.route'] === '/users/:id')),
        { what: 'http.server.request.duration with http.route' },
      );
      expect(duration.unit).toBe('s');
    });
  }

  it('makes no span and no duration series for probes and scrapes (/health, /metrics)', async () => {
    const app = await startFixtureApp('express-app.mjs', ['--import', REGISTER], endpoint());
    expect((await app.get('/metrics')).status).toBe(200);
    await app.get('/health');
    await app.get('/users/3');
    await receiver.waitFor((r) => serverSpans(r, '/users/:id')[0], { what: 'the /users/:id server span' });
    const duration = await receiver.waitFor((r) => r.metrics().find((m) => m.name === 'http.server.request.duration'), { what: 'the duration metric' });
    expect(receiver.spans().filter((s) => s.kind === SERVER).map((s) => s.attributes['url.path'] ?? s.name)).toEqual(['/users/:id']);
    expect(duration.dataPoints.map((p) => p.attributes['http.route'])).toEqual(['/users/:id']);
  });

  it('pushes over OTLP what /metrics serves: one recorded state, cumulative', async () => {
    const app = await startFixtureApp('express-app.mjs', ['--import', REGISTER], endpoint());
    for (let i = 0; i < 3; i++) await app.get(`/users/${i}`);
    const hits = await receiver.waitFor(
      (r) => r.metrics().filter((m) => m.name === 'fixture.hits').flatMap((m) => m.dataPoints).find((p) => p.value === 3),
      { what: 'fixture.hits = 3 over OTLP' },
    );
    expect(hits.value).toBe(3);
    expect(await (await app.get('/metrics')).text()).toMatch(/^fixture_hits_total\{[^}]*\} 3$/m);
    await app.get('/users/4');
    await receiver.waitFor(
      (r) => r.metrics().filter((m) => m.name === 'fixture.hits').flatMap((m) => m.dataPoints).find((p) => p.value === 4),
      { what: 'fixture.hits = 4 over OTLP (cumulative)' },
    );
    expect(await (await app.get('/metrics')).text()).toMatch(/^fixture_hits_total\{[^}]*\} 4$/m);
  });

  it('exports Node runtime metrics (heap, event-loop delay, GC), unless OTEL_NODE_DISABLED_INSTRUMENTATIONS names runtime-node', async () => {
    const app = await startFixtureApp('express-app.mjs', ['--import', REGISTER], endpoint());
    await app.get('/users/1');
    const names = ['v8js.memory.heap.used', 'nodejs.eventloop.delay.p99', 'nodejs.eventloop.utilization'];
    await receiver.waitFor((r) => names.every((name) => r.metrics().some((m) => m.name === name && m.dataPoints.length > 0)), { what: names.join(', ') });
    const heap = receiver.metrics().find((m) => m.name === 'v8js.memory.heap.used');
    expect(heap?.dataPoints.some((p) => p.attributes['v8js.heap.space.name'] === 'old_space' && (p.value ?? 0) > 0)).toBe(true);
    expect(await (await app.get('/metrics')).text()).toMatch(/^v8js_memory_heap_used\{/m);
    await app.process.stop(2000);
    receiver.clear();

    const without = await startFixtureApp('express-app.mjs', ['--import', REGISTER], { ...endpoint(), OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'runtime-node' });
    await without.get('/users/1');
    await receiver.waitFor((r) => r.metrics().find((m) => m.name === 'fixture.hits'), { what: 'the app counter' });
    expect(receiver.metrics().filter((m) => m.name.startsWith('v8js.') || m.name.startsWith('nodejs.'))).toEqual([]);
  });

  it('loads only once when given both --require and --import', async () => {
    const app = await startFixtureApp('express-app.mjs', ['--require', REGISTER, '--import', REGISTER], endpoint());
    await app.get('/users/1');
    await app.get('/users/2');
    await receiver.waitFor((r) => (serverSpans(r, '/users/:id').length >= 2 ? true : undefined), { what: 'two server spans' });
    // Let any duplicate batch arrive before counting.
    await app.get('/log');
    await receiver.waitFor((r) => r.logRecords().find((l) => l.body === 'fixture log line'), { what: 'the log record' });
    expect(serverSpans(receiver, '/users/:id')).toHaveLength(2);
    expect(receiver.logRecords().filter((l) => l.body === 'fixture log line')).toHaveLength(1);
  });
});

describe('robustness', () => {
  it('keeps serving while the collector is down, counts the drops, warns once, and recovers', async () => {
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], { ...endpoint(), OTEL_EXPORTER_OTLP_TIMEOUT: '500' });
    await app.get('/hello');
    await receiver.waitFor((r) => r.spans().find((s) => s.kind === SERVER), { what: 'a span before the outage' });
    await receiver.stop();

    for (let i = 0; i < 20; i++) expect((await app.get('/hello')).status).toBe(200);
    const dropped = await waitUntil('dropped traces to be counted', async () => {
      const text = await (await app.get('/metrics')).text();
      const value = Number(/lookout_telemetry_dropped_total\{[^}]*signal="traces"[^}]*reason="export_failed"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
      return value > 0 ? value : undefined;
    }, { timeoutMs: 15_000, context: () => app.process.tail() });
    expect(dropped).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect((await app.get('/hello')).status).toBe(200);
    const failing = () => app.diagnostics().filter((d) => String(d.msg).includes('export failing') && d.signal === 'traces');
    await waitUntil('the outage warning', () => failing().length > 0, { context: () => app.process.tail() });

    await receiver.start();
    receiver.clear();
    await app.get('/hello');
    await receiver.waitFor((r) => r.spans().find((s) => s.kind === SERVER), { what: 'spans after the collector is back', timeoutMs: 15_000 });
    await waitUntil('the recovery message', () => app.diagnostics().some((d) => d.msg === 'telemetry export recovered' && d.signal === 'traces'), {
      context: () => app.process.tail(),
    });
    expect(failing()).toHaveLength(1);
  });

  it('flushes pending spans on SIGTERM and then exits by the signal', async () => {
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], { ...endpoint(), OTEL_BSP_SCHEDULE_DELAY: '600000' });
    for (let i = 0; i < 3; i++) await app.get('/hello');
    expect(receiver.spans()).toEqual([]);
    app.process.child.kill('SIGTERM');
    expect(await app.process.exited).toBe('SIGTERM');
    expect(receiver.spans().filter((s) => s.kind === SERVER)).toHaveLength(3);
  });

  it('only flushes on SIGTERM when the app has its own listener, which then decides the exit', async () => {
    const app = await startFixtureApp('express-app.mjs', ['--import', REGISTER], {
      ...endpoint(),
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      FIXTURE_OWN_SIGTERM: '1',
    });
    await app.get('/users/3');
    app.process.child.kill('SIGTERM');
    // Exit code 0 from the app's own timer: the bootstrap did not re-raise the signal.
    expect(await app.process.exited).toBe(0);
    expect(app.process.output()).toContain('APP SIGTERM');
    expect(serverSpans(receiver, '/users/:id')).toHaveLength(1);
  });

  it('warns once about a bad value and keeps working with the default', async () => {
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], { ...endpoint(), OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_METRIC_EXPORT_INTERVAL: 'often' });
    await app.get('/hello');
    await receiver.waitFor((r) => r.spans().find((s) => s.kind === SERVER), { what: 'a span despite bad settings' });
    const warnings = app.diagnostics();
    expect(warnings.map((w) => w.variable).sort()).toEqual(['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_METRIC_EXPORT_INTERVAL']);
    expect(warnings.every((w) => w.level === 'warn' && w.component === 'otel-bootstrap')).toBe(true);
  });
});

describe('compile cache', () => {
  it('is written at start-up, so a service that never exits normally still starts warm next time', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'lookout-compile-cache-'));
    try {
      const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], { ...endpoint(), NODE_COMPILE_CACHE: cacheDir });
      app.process.child.kill('SIGKILL');
      await app.process.exited;
      const entries = readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
      // The bootstrap's own modules (the SDK, the exporters) at least: dozens of entries.
      expect(entries.length).toBeGreaterThan(20);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('Prometheus port', () => {
  it('serves /metrics on OTEL_EXPORTER_PROMETHEUS_PORT when OTEL_METRICS_EXPORTER includes prometheus', async () => {
    const port = await freePort();
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], {
      ...endpoint(),
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
    });
    await app.get('/hello');
    const text = await waitUntil('the Prometheus port', async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), {
      context: () => app.process.tail(),
    });
    expect(text).toContain('http_server_request_duration_bucket');
    expect(receiver.metrics()).toEqual([]);
  });

  it('warns once and keeps serving when the port is taken', async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], {
        ...endpoint(),
        OTEL_METRICS_EXPORTER: 'prometheus,otlp',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      });
      await waitUntil('the port warning', () => app.diagnostics().some((d) => String(d.msg).includes('already in use')), {
        context: () => app.process.tail(),
      });
      expect((await app.get('/hello')).status).toBe(200);
      expect((await app.get('/metrics')).status).toBe(200);
      expect(app.diagnostics()).toHaveLength(1);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
