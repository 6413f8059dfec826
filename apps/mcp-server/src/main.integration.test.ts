// The service as the lead's cross-service tests start it: a child process with the bootstrap.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEventsFile, verifyEvents, type AuditEvent } from '@lookout/audit/reader';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, redisMissing, startProcess, startRedis, waitForHttp, waitUntil, type RunningProcess, type TestRedis } from '@lookout/testkit';
import { Redis } from 'ioredis';
import { startStubReviewer, STUB_FINDING, type StubReviewer } from './fixtures.test-support.ts';

/** Every BullMQ job hash in Redis (data, options, names), as stored. */
async function jobsInRedis(redisUrl: string): Promise<Record<string, string>[]> {
  const redis = new Redis(redisUrl);
  try {
    const keys = (await redis.keys('bull:*')).filter((key) => /^bull:[^:]+:[^:]+$/.test(key));
    const hashes = await Promise.all(keys.map(async (key) => ((await redis.type(key)) === 'hash' ? redis.hgetall(key) : {})));
    return hashes.filter((hash) => Object.keys(hash).length > 0);
  } finally {
    redis.disconnect();
  }
}

const skip = redisMissing();
const appDir = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'Zm9vYmFyYmF6cXV4LXNlZWQtc2VjcmV0LXRlc3Qtb25l'.slice(0, 43);
const SEED_TOKEN = `lk_5eed5eed5eed5eed_${SECRET}`;
// Telemetry stays in the process: no collector in this test; /metrics still serves the pull reader.
const QUIET_OTEL = { OTEL_SERVICE_NAME: 'mcp-server', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

// A spool of its own (never the checkout's .data), and no collector: events stay spooled for the test to read.
const newSpool = () => mkdtempSync(join(tmpdir(), 'mcp-main-audit-'));

function startMain(env: NodeJS.ProcessEnv): RunningProcess {
  return startProcess({
    name: 'mcp-server',
    command: process.execPath,
    args: ['--require', '@lookout/otel-bootstrap/register', 'src/main.ts'],
    cwd: appDir,
    env: { ...QUIET_OTEL, LOOKOUT_AUDIT_SPOOL_DIR: newSpool(), OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:9/v1/logs', ...env },
  });
}

describe.skipIf(skip)('mcp-server as a process', () => {
  let redis: TestRedis;
  let reviewer: StubReviewer;
  let server: RunningProcess;
  let url: string;
  const spoolDir = newSpool();

  beforeAll(async () => {
    redis = await startRedis();
    reviewer = await startStubReviewer();
    const port = await freePort();
    server = startMain({ PORT: String(port), REDIS_URL: redis.url, REVIEWER_URL: reviewer.url, LOOKOUT_SEED_API_KEY: SEED_TOKEN, LOOKOUT_AUDIT_SPOOL_DIR: spoolDir });
    const listening = await waitUntil(
      'mcp-server to log "listening"',
      () =>
        server
          .output()
          .split('\n')
          .map((line) => {
            try {
              return JSON.parse(line) as { msg?: string; url?: string };
            } catch {
              return undefined;
            }
          })
          .find((line) => line?.msg === 'listening'),
      { context: () => server.tail() },
    );
    url = listening.url as string;
    expect(url).toBe(`http://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    await server?.stop();
    await reviewer?.close();
    await redis?.stop();
  });

  it('accepts the seeded key and serves a tool call end to end', async () => {
    const mcp = new Client({ name: 'lookout-test', version: '0.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${SEED_TOKEN}` } } }));
    const result = (await mcp.callTool({ name: 'review_diff', arguments: { diff: '+// TODO\n' } })) as CallToolResult;
    await mcp.close();
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ findings: [STUB_FINDING] });
  });

  it('is ready, and exposes the MCP metrics on /metrics', async () => {
    expect(await (await fetch(`${url}/health/ready`)).json()).toMatchObject({ status: 'ready' });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/lookout_mcp_requests_total\{[^}]*gen_ai_tool_name="review_diff"[^}]*\} 1/);
    expect(metrics).toMatch(/lookout_mcp_auth_attempts_total\{[^}]*outcome="success"/);
    expect(metrics).toContain('mcp_server_operation_duration');
  });

  it('keeps a secret sent as x-request-id or in baggage out of logs, audit records, job data and the reviewer call', async () => {
    const requestIdSecret = 'hunter2-reqid-SECRET-91c4';
    const baggageSecret = 'hunter2-baggage-SECRET-5e2d';
    const noteSecret = 'hunter2-note-SECRET-0b7a';
    const headers = {
      authorization: `Bearer ${SEED_TOKEN}`,
      'x-request-id': requestIdSecret,
      baggage: `request_id=${baggageSecret},note=${noteSecret},user_id=${baggageSecret}`,
    };
    const mcp = new Client({ name: 'lookout-test', version: '0.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } }));
    const before = reviewer.calls.length;
    try {
      expect(((await mcp.callTool({ name: 'review_diff', arguments: { diff: '+// TODO\n' } })) as CallToolResult).isError).toBeFalsy();
      const queued = (await mcp.callTool({ name: 'submit_review_job', arguments: { diff: '+// TODO\n' } })) as CallToolResult;
      expect(queued.isError, JSON.stringify(queued)).toBeFalsy();
    } finally {
      await mcp.close();
    }
    // A refused request with the same headers (a bad key): its record must not carry them either.
    const refused = await fetch(`${url}/mcp`, { method: 'POST', headers: { ...headers, authorization: 'Bearer lk_0000000000000000_x', 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const secrets = [requestIdSecret, baggageSecret, noteSecret];
    const sinks: Record<string, string> = {
      logs: server.output(),
      audit: JSON.stringify(await readEventsFile(spoolDir)),
      'job data': JSON.stringify(await jobsInRedis(redis.url)),
      'reviewer call': JSON.stringify(reviewer.calls.slice(before).map((call) => call.headers)),
    };
    expect(sinks['job data']).toContain('"name":"review"');
    for (const [sink, text] of Object.entries(sinks)) {
      for (const secret of secrets) expect(text.split('\n').filter((line) => line.includes(secret)).join('\n'), `${secret} reached the ${sink}`).toBe('');
    }
  });

  it('logs the user id but never the token, and stops cleanly on SIGTERM', async () => {
    const refused = await fetch(`${url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${SEED_TOKEN}x`, 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    expect(await server.stop()).toBe(0);
    const output = server.output();
    expect(output).toContain('"user_id":"5eed5eed5eed5eed"');
    expect(output).toContain('LOOKOUT_SEED_API_KEY stored (hash only)');
    expect(output).not.toContain(SECRET);

    // The audit trail, spooled (no collector here) and intact: the seed import, the call, the refusal.
    const events = (await readEventsFile(spoolDir)) as AuditEvent[];
    expect(verifyEvents(events).ok).toBe(true);
    const actions = events.map((e) => `${e.action}:${e.outcome}`);
    expect(actions[0]).toBe('admin.apikey.import:success');
    expect(actions).toEqual(expect.arrayContaining(['auth.token.accepted:success', 'mcp.tool.invoke:success', 'auth.token.rejected:denied']));
    expect(events.find((e) => e.action === 'mcp.tool.invoke')).toMatchObject({ service: 'mcp-server', actor: { type: 'api_key', id: '5eed5eed5eed5eed' }, target: { type: 'tool', id: 'review_diff' } });
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });
});

describe('mcp-server start-up with a bad environment', () => {
  it('exits 1 naming the variable, without quoting its value', async () => {
    const bad = startMain({ PORT: 'eighty', LOOKOUT_SEED_API_KEY: 'lk_hunter2hunter2' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/PORT is invalid/);
    expect(bad.output()).toMatch(/LOOKOUT_SEED_API_KEY is invalid/);
    expect(bad.output()).not.toContain('hunter2');
  });
});

describe.skipIf(skip)('mcp-server with the real reviewer (apps/reviewer)', () => {
  let redis: TestRedis;
  let reviewerProcess: RunningProcess;
  let server: RunningProcess;
  let url: string;
  const reviewerDir = fileURLToPath(new URL('../../reviewer', import.meta.url));

  beforeAll(async () => {
    redis = await startRedis();
    const reviewerPort = await freePort();
    reviewerProcess = startProcess({
      name: 'reviewer',
      command: process.execPath,
      args: ['--require', '@lookout/otel-bootstrap/register', 'src/main.ts'],
      cwd: reviewerDir,
      env: { ...QUIET_OTEL, OTEL_SERVICE_NAME: 'reviewer', PORT: String(reviewerPort) },
    });
    await waitForHttp(`http://127.0.0.1:${reviewerPort}/health`, { context: () => reviewerProcess.tail() });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = startMain({ PORT: String(port), REDIS_URL: redis.url, REVIEWER_URL: `http://127.0.0.1:${reviewerPort}`, LOOKOUT_SEED_API_KEY: SEED_TOKEN });
    await waitForHttp(`${url}/health/ready`, { context: () => server.tail() });
  });

  afterAll(async () => {
    await server?.stop();
    await reviewerProcess?.stop();
    await redis?.stop();
  });

  it('review_diff returns the real pipeline findings, and passes on its refusal of a non-diff', async () => {
    const mcp = new Client({ name: 'lookout-test', version: '0.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${SEED_TOKEN}` } } }));
    try {
      const diff = 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,2 @@\n const a = 1;\n+// TODO: remove\n';
      const result = (await mcp.callTool({ name: 'review_diff', arguments: { diff } })) as CallToolResult;
      expect(result.isError, JSON.stringify(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ outcome: 'success', findings: [{ module: 'todos', file: 'a.ts', line: 2 }] });

      const refused = (await mcp.callTool({ name: 'review_diff', arguments: { diff: 'not a diff' } })) as CallToolResult;
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toMatch(/the reviewer refused the diff: diff is not a unified diff/);
    } finally {
      await mcp.close();
    }
  });
});
