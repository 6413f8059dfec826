// What a client writes into JSON-RPC (method, tool name, id, params._meta.tracestate) must not reach
// an exported span verbatim: the service as a process with the bootstrap, its traces exported over
// OTLP to the test receiver. Both cases exported the client's strings before the fix.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startOtlpReceiver, type OtlpReceiver } from '@lookout/testkit';
import { freePort, redisMissing, startProcess, startRedis, waitForHttp, type RunningProcess, type TestRedis } from '@lookout/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStubReviewer, type StubReviewer } from './fixtures.test-support.ts';

const skip = redisMissing();
const appDir = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = `lk_7ace7ace7ace7ace_${randomBytes(32).toString('base64url')}`;
const SERVER = 2; // SpanKind.SERVER + 1 in OTLP numbering
const opaque = (label: string) => `${label}${randomBytes(20).toString('hex')}`;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe.skipIf(skip)('MCP spans from client-chosen names', () => {
  let redis: TestRedis;
  let reviewer: StubReviewer;
  let receiver: OtlpReceiver;
  let server: RunningProcess;
  let url: string;

  beforeAll(async () => {
    [redis, reviewer, receiver] = await Promise.all([startRedis(), startStubReviewer(), startOtlpReceiver()]);
    const port = await freePort();
    server = startProcess({
      name: 'mcp-server',
      command: process.execPath,
      args: ['--require', '@lookout/otel-bootstrap/register', 'src/main.ts'],
      cwd: appDir,
      env: {
        OTEL_SERVICE_NAME: 'mcp-server',
        OTEL_TRACES_SAMPLER: 'always_on',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        // Audit events stay spooled: nothing listens there.
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:9/v1/logs',
        LOOKOUT_AUDIT_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'mcp-trace-leaks-')),
        PORT: String(port),
        REDIS_URL: redis.url,
        REVIEWER_URL: reviewer.url,
        LOOKOUT_SEED_API_KEY: TOKEN,
      },
    });
    url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/health/ready`, { context: () => server.tail() });
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([reviewer?.close(), redis?.stop(), receiver?.stop()]);
  });

  const post = (message: unknown) =>
    fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(message),
    });

  it('names unknown methods and tools _OTHER, and exports no client id or tracestate', async () => {
    const secrets = { tool: opaque('tool'), method: opaque('method/'), id: opaque('id'), traceState: opaque('ts') };
    const traceId = hex(16);
    const meta = { traceparent: `00-${traceId}-${hex(8)}-01`, tracestate: `probe=${secrets.traceState}` };
    await post({ jsonrpc: '2.0', id: secrets.id, method: 'tools/call', params: { name: secrets.tool, arguments: {}, _meta: meta } });
    await post({ jsonrpc: '2.0', id: 2, method: secrets.method, params: { _meta: meta } });

    const spans = await receiver.waitFor((r) => {
      const found = r.spans().filter((s) => s.kind === SERVER && s.traceId === traceId);
      return found.length >= 2 ? found : undefined;
    }, { what: 'the two MCP server spans under the _meta parent' });
    const byMethod = (method: string) => spans.find((s) => s.name.startsWith(method));
    expect(byMethod('tools/call')).toMatchObject({ name: 'tools/call _OTHER', attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': '_OTHER' } });
    expect(byMethod('tools/call')?.attributes['jsonrpc.request.id']).toBeUndefined();
    expect(byMethod('_OTHER')).toMatchObject({ name: '_OTHER', attributes: { 'mcp.method.name': '_OTHER', 'jsonrpc.request.id': '2' } });
    const exported = JSON.stringify(receiver.requests.filter((request) => request.signal === 'traces').map((request) => request.body));
    for (const secret of Object.values(secrets)) expect(exported).not.toContain(secret);
  });

  it('carries no inbound tracestate into job data', async () => {
    const traceState = opaque('ts');
    const meta = { traceparent: `00-${hex(16)}-${hex(8)}-01`, tracestate: `probe=${traceState}` };
    const response = await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'submit_review_job', arguments: { diff: '+a\n' }, _meta: meta } });
    const { result } = (await response.json()) as { result: { structuredContent: { jobId: string } } };
    const client = new Redis(redis.url);
    try {
      const data = JSON.parse((await client.hget(`bull:reviews:${result.structuredContent.jobId}`, 'data')) ?? '{}') as { context?: Record<string, string> };
      expect(data.context?.traceparent).toMatch(/^00-/);
      expect(JSON.stringify(data)).not.toContain(traceState);
    } finally {
      client.disconnect();
    }
  });
});
