import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { collectorMissing, startCollector, waitUntil, type TestCollector } from '@lookout/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logsRequest, postOtlp } from './otlp.ts';

/** A stand-in for Loki's OTLP endpoint: answers 503 until `accepting`, records what it was sent per tenant. */
function standInLoki() {
  const state = { accepting: false, attempts: [] as { tenant: string; body: string }[], accepted: [] as { tenant: string; body: string }[] };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      // Protobuf keeps strings as raw UTF-8, so a unique marker can be found without decoding.
      const entry = { tenant: String(request.headers['x-scope-orgid'] ?? ''), body: body.toString('latin1') };
      state.attempts.push(entry);
      if (!state.accepting) {
        response.writeHead(503).end('stand-in Loki is down');
        return;
      }
      state.accepted.push(entry);
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  return { state, server };
}

const skip = collectorMissing();

describe.skipIf(skip)('production config: the audit queue survives SIGKILL', () => {
  const loki = standInLoki();
  let collector: TestCollector;
  beforeAll(async () => {
    await new Promise<void>((resolve) => loki.server.listen(0, '127.0.0.1', resolve));
    const address = loki.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    collector = await startCollector({
      config: 'production',
      env: {
        LOKI_OTLP_ENDPOINT: `http://127.0.0.1:${port}/otlp`,
        TEMPO_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      },
    });
  });
  afterAll(async () => {
    await collector?.stop();
    loki.server.close();
  });

  it('keeps an audit record queued for an unreachable Loki across a SIGKILL and delivers it after restart', async () => {
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
      loki.state.attempts.some((a) => a.tenant === 'audit' && a.body.includes('audit survives kill 4b1d')),
    );
    await collector.kill();
    expect(collector.process.child.signalCode).toBe('SIGKILL');

    loki.state.accepting = true;
    await collector.restart();
    const delivered = await waitUntil(
      'the audit record delivered after restart',
      () => loki.state.accepted.find((a) => a.body.includes('audit survives kill 4b1d')),
      { timeoutMs: 30_000, context: () => collector.process.tail() },
    );
    expect(delivered.tenant).toBe('audit');
    // Routing held on the way: the audit record never went to the app tenant.
    expect(loki.state.attempts.filter((a) => a.tenant === 'app' && a.body.includes('audit survives kill 4b1d'))).toEqual([]);
  });

  it('(contrast) an app record in the in-memory queue is lost by the same SIGKILL', async () => {
    // By now the restarted collector has drained its queues into the accepting stand-in.
    await waitUntil('queues drained', async () => {
      const text = await (await fetch(collector.metricsUrl)).text();
      return /otelcol_exporter_queue_size\{[^}]*exporter="otlp_http\/loki_audit"[^}]*\} 0\b/.test(text);
    });
    expect(loki.state.accepted.some((a) => a.body.includes('app record in memory 8e2a'))).toBe(false);
  });
});
