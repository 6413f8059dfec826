import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { collectorMissing, startCollector, waitUntil, type TestCollector } from '@lookout/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logsRequest, postOtlp } from './otlp.ts';

/** A stand-in for VictoriaLogs' OTLP endpoint: answers 503 until `accepting`, records what it was sent per tenant (AccountID). */
function standInLogStore() {
  const state = { accepting: false, attempts: [] as { tenant: string; body: string }[], accepted: [] as { tenant: string; body: string }[] };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      // Protobuf keeps strings as raw UTF-8, so a unique marker can be found without decoding.
      const entry = { tenant: String(request.headers['accountid'] ?? ''), body: body.toString('latin1') };
      state.attempts.push(entry);
      if (!state.accepting) {
        response.writeHead(503).end('stand-in log store is down');
        return;
      }
      state.accepted.push(entry);
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  return { state, server };
}

/** The production config's default tenants (VictoriaLogs AccountID): app 1, audit 2. */
const APP_TENANT = '1';
const AUDIT_TENANT = '2';

const skip = collectorMissing();

describe.skipIf(skip)('production config: the audit queue survives SIGKILL', () => {
  const store = standInLogStore();
  let collector: TestCollector;
  beforeAll(async () => {
    await new Promise<void>((resolve) => store.server.listen(0, '127.0.0.1', resolve));
    const address = store.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    collector = await startCollector({
      config: 'production',
      env: {
        // Both log stores and the trace store on the stand-in; the tenant header tells them apart.
        LOOKOUT_LOGS_APP_OTLP_ENDPOINT: `http://127.0.0.1:${port}/insert/opentelemetry`,
        LOOKOUT_LOGS_AUDIT_OTLP_ENDPOINT: `http://127.0.0.1:${port}/insert/opentelemetry`,
        LOOKOUT_TRACES_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      },
    });
  });
  afterAll(async () => {
    await collector?.stop();
    store.server.close();
  });

  it('keeps an audit record queued for an unreachable log store across a SIGKILL and delivers it after restart', async () => {
    await postOtlp(
      collector.otlpHttpUrl,
      'logs',
      logsRequest('reviewer', [
        { body: 'audit survives kill 4b1d', scope: '@lookout/audit' },
        { body: 'app record in memory 8e2a', scope: '@lookout/logger' },
      ]),
    );
    // The audit record was taken from the disk queue and tried at least once: it is in flight, not yet acknowledged.
    await waitUntil('a delivery attempt of the audit record', () =>
      store.state.attempts.some((a) => a.tenant === AUDIT_TENANT && a.body.includes('audit survives kill 4b1d')),
    );
    await collector.kill();
    expect(collector.process.child.signalCode).toBe('SIGKILL');

    store.state.accepting = true;
    await collector.restart();
    const delivered = await waitUntil(
      'the audit record delivered after restart',
      () => store.state.accepted.find((a) => a.body.includes('audit survives kill 4b1d')),
      { timeoutMs: 30_000, context: () => collector.process.tail() },
    );
    expect(delivered.tenant).toBe(AUDIT_TENANT);
    // Routing held on the way: the audit record never went to the app tenant.
    expect(store.state.attempts.filter((a) => a.tenant === APP_TENANT && a.body.includes('audit survives kill 4b1d'))).toEqual([]);
  });

  it('(contrast) an app record in the in-memory queue is lost by the same SIGKILL', async () => {
    // By now the restarted collector has drained its queues into the accepting stand-in.
    await waitUntil('queues drained', async () => {
      const text = await (await fetch(collector.metricsUrl)).text();
      return /otelcol_exporter_queue_size\{[^}]*exporter="otlp_http\/logs_audit"[^}]*\} 0\b/.test(text);
    });
    expect(store.state.accepted.some((a) => a.body.includes('app record in memory 8e2a'))).toBe(false);
  });
});
