import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metrics, SpanKind } from '@opentelemetry/api';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '@lookout/apikeys';
import { createAudit, type Audit, type AuditEvent } from '@lookout/audit';
import { readEventsFile, verifyEvents } from '@lookout/audit/reader';
import { createInstruments } from '@lookout/catalog';
import { buildDigest, REVIEW_QUEUE, reviewJobSchema, ReviewStore, type JobData } from '@lookout/reviews';
import { listen, type RunningService } from '@lookout/service-kit';
import { redisMissing, startRedis, waitUntil, type TestRedis } from '@lookout/testkit';
import { createReviewerClient } from './reviewer-client.ts';
import { createMcpApp } from './server.ts';
import { installTestTelemetry, points, startStubReviewer, STUB_FINDING, type StubReviewer } from './fixtures.test-support.ts';

const skip = redisMissing();

const MAX_BODY_BYTES = 64 * 1024;
const DIFF = 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,2 @@\n const a = 1;\n+// TODO: remove\n';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CLIENT_SPAN_ID}-01`;
// Anything that looks like a stack frame or a source location.
const STACK = /\n\s+at |\.ts:\d+|node_modules/;

describe.skipIf(skip)('mcp-server over Streamable HTTP, against real Redis and BullMQ', () => {
  let redis: TestRedis;
  let client: Redis;
  let reviewer: StubReviewer;
  let queue: Queue<JobData>;
  let queueEvents: QueueEvents;
  let service: RunningService;
  let token: string;
  let keyId: string;
  let otherToken: string;
  let revokedToken: string;
  let telemetry: ReturnType<typeof installTestTelemetry>;
  let audit: Audit;
  let spoolDir: string;
  const errorBodies: string[] = [];
  /** Events recorded so far (the spool is the truth: record resolved only once they were on disk). */
  const audited = async () => (await readEventsFile(spoolDir)) as AuditEvent[];

  const post = async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${service.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, ...headers },
      body,
    });
    const text = await res.text();
    if (res.status >= 400) errorBodies.push(text);
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as { error?: { code: number; message: string } } };
  };

  const connect = async (bearer = token) => {
    const mcp = new Client({ name: 'lookout-test', version: '0.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${service.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }));
    return mcp;
  };

  const call = async (name: string, args: Record<string, unknown>, meta?: Record<string, string>) => {
    const mcp = await connect();
    try {
      const result = (await mcp.callTool({ name, arguments: args, ...(meta ? { _meta: meta } : {}) })) as CallToolResult;
      if (result.isError) errorBodies.push(JSON.stringify(result));
      return result;
    } finally {
      await mcp.close();
    }
  };
  const text = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

  beforeAll(async () => {
    telemetry = installTestTelemetry();
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: 2 });
    reviewer = await startStubReviewer();
    queue = new Queue<JobData>(REVIEW_QUEUE, { connection: client });
    queueEvents = new QueueEvents(REVIEW_QUEUE, { connection: new Redis(redis.url, { maxRetriesPerRequest: null }) });
    const apiKeys = new ApiKeyStore(client);
    ({ token, keyId } = await apiKeys.createApiKey({ name: 'test' }));
    ({ token: otherToken } = await apiKeys.createApiKey({ name: 'other' }));
    const revoked = await apiKeys.createApiKey({ name: 'revoked' });
    revokedToken = revoked.token;
    await apiKeys.revokeApiKey(revoked.keyId);
    const reviewerClient = createReviewerClient({ baseUrl: reviewer.url, timeoutMs: 5000 });
    spoolDir = mkdtempSync(join(tmpdir(), 'mcp-audit-'));
    audit = await createAudit({ spoolDir, service: 'mcp-server', ship: false, meter: telemetry.meter });
    const app = createMcpApp({
      audit,
      apiKeys,
      store: new ReviewStore(client),
      queue,
      queueEvents,
      reviewer: reviewerClient,
      digestTimeoutMs: 2000,
      maxBodyBytes: MAX_BODY_BYTES,
      instruments: createInstruments(telemetry.meter, 'mcp-server'),
      tracer: telemetry.tracer,
      ready: { redis: () => client.ping(), reviewer: () => reviewerClient.health() },
    });
    service = await listen(app, { port: 0, handleSignals: false });
  });

  afterAll(async () => {
    await service?.close();
    await queueEvents?.close();
    await queue?.close();
    client?.disconnect();
    await reviewer?.close();
    await redis?.stop();
    await audit?.close();
    await telemetry?.uninstall();
  });

  it('lists the four tools with their input schemas', async () => {
    const mcp = await connect();
    const { tools } = await mcp.listTools();
    await mcp.close();
    expect(tools.map((t) => t.name).sort()).toEqual(['bot_digest', 'get_review', 'review_diff', 'submit_review_job']);
    expect(tools.find((t) => t.name === 'review_diff')?.inputSchema.required).toEqual(['diff']);
  });

  it('review_diff calls the reviewer with the request id, stores the result and returns it', async () => {
    const before = reviewer.calls.length;
    const result = await call('review_diff', { diff: DIFF });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { reviewId: string; outcome: string; findings: unknown[] };
    expect(structured).toMatchObject({ outcome: 'success', findings: [STUB_FINDING] });
    expect(JSON.parse(text(result))).toEqual(structured);

    const sent = reviewer.calls[before];
    expect(sent?.body).toEqual({ diff: DIFF });
    expect(sent?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const stored = await new ReviewStore(client).get(structured.reviewId);
    expect(stored).toMatchObject({ status: 'completed', source: 'review_diff', requestedBy: keyId, findings: [STUB_FINDING] });
  });

  it('submit_review_job stores a queued review and puts a review job with trace context in the real queue', async () => {
    const result = await call('submit_review_job', { diff: DIFF }, { traceparent: TRACEPARENT });
    expect(result.isError).toBeFalsy();
    const { reviewId, jobId } = result.structuredContent as { reviewId: string; jobId: string };
    expect(jobId).toBe(reviewId);

    const job = await queue.getJob(jobId);
    expect(job?.name).toBe('review');
    expect(job?.opts.attempts).toBe(3);
    const data = reviewJobSchema.parse(job?.data);
    expect(data).toMatchObject({ kind: 'review', reviewId, diff: DIFF, requestedBy: keyId });
    // The job continues the client's trace (from params._meta), so the worker's span joins it.
    expect(data.context.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-`));
    expect(data.context.baggage).toContain(`user_id=${keyId}`);
    expect(await new ReviewStore(client).get(reviewId)).toMatchObject({ status: 'queued', source: 'job' });
  });

  it('get_review returns a known review and a tool error for an unknown or foreign one', async () => {
    const created = await call('review_diff', { diff: DIFF });
    const { reviewId } = created.structuredContent as { reviewId: string };
    const known = await call('get_review', { id: reviewId });
    expect(known.isError).toBeFalsy();
    expect(known.structuredContent).toMatchObject({ id: reviewId, status: 'completed', findings: [STUB_FINDING] });

    const unknown = await call('get_review', { id: 'no-such-review' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toBe('no review with that id for this API key; submit_review_job returns the ids');

    const other = await connect(otherToken);
    const foreign = (await other.callTool({ name: 'get_review', arguments: { id: reviewId } })) as CallToolResult;
    await other.close();
    expect(foreign.isError).toBe(true);
    expect(text(foreign)).toMatch(/no review with that id/);
  });

  it('bot_digest has the worker build the digest and waits for it', async () => {
    const store = new ReviewStore(client);
    // Stands in for apps/worker: builds digests from the store, as its processor does.
    const worker = new Worker<JobData>(
      REVIEW_QUEUE,
      async (job) => (job.data.kind === 'digest' ? buildDigest(await store.listCreatedBetween(job.data.sinceMs, job.data.untilMs), job.data.sinceMs, job.data.untilMs, job.data.requestedBy) : null),
      { connection: new Redis(redis.url, { maxRetriesPerRequest: null }) },
    );
    try {
      const result = await call('bot_digest', { sinceMinutes: 5 });
      expect(result.isError, text(result)).toBeFalsy();
      const digest = result.structuredContent as { reviews: number; sinceMs: number; untilMs: number; topFindings: { module: string }[] };
      expect(digest.untilMs - digest.sinceMs).toBe(5 * 60_000);
      expect(digest.reviews).toBeGreaterThanOrEqual(2);
      expect(digest.topFindings[0]?.module).toBe('todos');
      expect(JSON.parse(text(result))).toEqual(digest);
    } finally {
      await worker.close();
    }
  });

  it('bot_digest answers a tool error when no worker builds the digest in time', async () => {
    const result = await call('bot_digest', {});
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/not ready within 2000 ms; is the worker running\?/);
  });

  it('refuses a missing, unknown or revoked key with 401 and a Bearer challenge', async () => {
    const missing = await post('{}', { authorization: '' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="lookout"');
    expect(missing.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });

    for (const bad of ['lk_nope', `lk_ffffffffffffffff_${'a'.repeat(43)}`, revokedToken]) {
      const refused = await post('{}', { authorization: `Bearer ${bad}` });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="lookout", error="invalid_token"');
      expect(refused.text).not.toContain(bad);
    }
    await expect(connect('lk_nope')).rejects.toThrow(/401|Unauthorized/i);
  });

  it('answers malformed input with JSON-RPC errors and the right HTTP status', async () => {
    const parse = await post('{"jsonrpc": "2.0", "method": ');
    expect(parse.status).toBe(400);
    expect(parse.json().error?.code).toBe(-32700);

    for (const body of ['{"hello":"world"}', '[]', '42', '{"jsonrpc":"1.0","id":1,"method":"ping"}']) {
      const invalid = await post(body);
      expect(invalid.status, body).toBe(400);
      expect(invalid.json().error?.code, body).toBe(-32600);
    }

    const wrongType = await post('{}', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });

    const huge = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'review_diff', arguments: { diff: 'x'.repeat(MAX_BODY_BYTES) } } });
    const tooBig = await post(huge);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json().error?.message).toMatch(/exceeds 65536 bytes/);

    const get = await fetch(`${service.url}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    errorBodies.push(await get.text());
  });

  it('answers bad arguments and unknown tools the way the SDK does, as tool errors', async () => {
    const badArgs = await call('review_diff', { diff: 42 });
    expect(badArgs.isError).toBe(true);
    expect(text(badArgs)).toMatch(/Invalid arguments for tool review_diff/);
    const tooLong = await call('bot_digest', { sinceMinutes: 7 * 24 * 60 + 1 });
    expect(tooLong.isError).toBe(true);
    const unknown = await call('no_such_tool', {});
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/Tool _OTHER not found/); // the client's name is never quoted back
    expect(text(unknown)).not.toContain('no_such_tool');
  });

  it('runs a tools/call in a SERVER span whose parent is the traceparent in params._meta', async () => {
    telemetry.spans.reset();
    await call('get_review', { id: 'traced' }, { traceparent: TRACEPARENT });
    const span = telemetry.spans.getFinishedSpans().find((s) => s.name === 'tools/call get_review');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe(TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    expect(span?.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'get_review', 'error.type': 'tool_error' });
    expect(span?.attributes['jsonrpc.request.id']).toBeDefined();
  });

  it('counts requests, durations and auth attempts in the catalog metrics', async () => {
    const requests = await points(telemetry.reader, 'lookout.mcp.requests');
    expect(requests).toContainEqual({ attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'review_diff', outcome: 'success' }, value: expect.any(Number) });
    expect(requests).toContainEqual({ attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': '_OTHER', outcome: 'error' }, value: 1 });
    expect(requests).toContainEqual({ attributes: { 'mcp.method.name': 'tools/list', 'gen_ai.tool.name': 'none', outcome: 'success' }, value: 1 });

    const durations = await points(telemetry.reader, 'mcp.server.operation.duration');
    expect(durations).toContainEqual({ attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'get_review', 'error.type': 'tool_error' }, value: expect.any(Number) });
    expect(durations).toContainEqual({ attributes: { 'mcp.method.name': '_OTHER', 'error.type': '-32700' }, value: 1 });
    expect(durations).toContainEqual({ attributes: { 'mcp.method.name': 'initialize' }, value: expect.any(Number) });

    const auth = await points(telemetry.reader, 'lookout.mcp.auth.attempts');
    const byOutcome = Object.fromEntries(auth.map((p) => [p.attributes.outcome, p.value]));
    expect(byOutcome.missing).toBe(1);
    expect(byOutcome.invalid).toBeGreaterThanOrEqual(4);
    expect(byOutcome.success).toBeGreaterThan(10);
  });

  it('serves health and readiness', async () => {
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { redis: 'ok', reviewer: 'ok' } });
  });

  it('records every tool call in the audit trail: key id, tool, outcome, duration, argument digest, trace and request ids', async () => {
    const before = (await audited()).length;
    const ok = await call('review_diff', { diff: DIFF }, { traceparent: TRACEPARENT });
    expect(ok.isError).toBeFalsy();
    const failed = await call('get_review', { id: 'no-such-review' });
    expect(failed.isError).toBe(true);
    // Durable before the answer: both are on disk now, no waiting.
    const events = (await audited()).slice(before).filter((e) => e.action === 'mcp.tool.invoke');
    expect(events.map((e) => [e.target.id, e.outcome])).toEqual([['review_diff', 'success'], ['get_review', 'failure']]);
    const [invoke, refused] = events as [AuditEvent, AuditEvent];
    expect(invoke).toMatchObject({ actor: { type: 'api_key', id: keyId }, service: 'mcp-server', trace_id: TRACE_ID });
    expect(invoke.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(invoke.span_id).toMatch(/^[0-9a-f]{16}$/);
    const metadata = invoke.metadata as { duration_ms: number; arguments: { sha256: string; sizes: Record<string, number> } };
    expect(metadata.duration_ms).toBeGreaterThanOrEqual(0);
    expect(metadata.arguments.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(metadata.arguments.sizes).toEqual({ diff: JSON.stringify(DIFF).length });
    expect(JSON.stringify(events)).not.toContain('TODO: remove');
    expect(refused.reason).toBe('tool_error');
  });

  it('records accepted, rejected and missing keys; a refusal is on disk before the 401', async () => {
    const before = (await audited()).length;
    const missing = await post('{}', { authorization: '' });
    expect(missing.status).toBe(401);
    const rejected = await post('{}', { authorization: `Bearer lk_ffffffffffffffff_${'a'.repeat(43)}` });
    expect(rejected.status).toBe(401);
    const events = (await audited()).slice(before);
    expect(events.map((e) => [e.action, e.outcome, e.reason, e.actor.type])).toEqual([
      ['auth.token.missing', 'denied', undefined, 'anonymous'],
      ['auth.token.rejected', 'denied', 'unknown', 'api_key'],
    ]);
    expect((events[1] as AuditEvent).actor.id).toBe('ffffffffffffffff');
    expect(JSON.stringify(events)).not.toContain('a'.repeat(43));
    const mcp = await connect();
    await mcp.listTools();
    await mcp.close();
    await audit.flush(0);
    const accepted = await waitUntil('auth.token.accepted on disk', async () => (await audited()).slice(before).find((e) => e.action === 'auth.token.accepted'));
    expect(accepted).toMatchObject({ actor: { type: 'api_key', id: keyId }, outcome: 'success', target: { type: 'endpoint', id: '/mcp' } });
    expect(verifyEvents(await audited()).ok).toBe(true);
  });

  it('never put a stack trace in an error answer', () => {
    expect(errorBodies.length).toBeGreaterThan(10);
    for (const body of errorBodies) expect(body).not.toMatch(STACK);
  });
});

describe('mcp-server when a dependency throws', () => {
  let service: RunningService;
  beforeAll(async () => {
    const app = createMcpApp({
      apiKeys: {
        verifyApiKey: async () => {
          throw new Error('connect ECONNREFUSED redis://:hunter2@10.0.0.1:6379');
        },
      },
      store: {} as never,
      queue: {} as never,
      queueEvents: {} as never,
      reviewer: createReviewerClient({ baseUrl: 'http://127.0.0.1:1' }),
      digestTimeoutMs: 1000,
      maxBodyBytes: 1024,
      instruments: createInstruments(metrics.getMeter('noop'), 'mcp-server'),
      audit: { record: async () => ({}) as AuditEvent, hasRoom: () => true },
    });
    service = await listen(app, { port: 0, handleSignals: false });
  });
  afterAll(() => service?.close());

  it('answers a JSON-RPC internal error without the cause or a stack', async () => {
    const res = await fetch(`${service.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: '{}' });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32603 } });
    expect(body).not.toContain('hunter2');
    expect(body).not.toMatch(STACK);
  });
});
