// The MCP server in-process against a real redis-server and BullMQ, with two API keys, a stub reviewer,
// a spool-only audit trail and a worker stand-in that builds digests as apps/worker does. Used by the
// isolation and hardening tests; the SDK's own Client talks to it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ApiKeyStore } from '@lookout/apikeys';
import { createAudit, type Audit, type AuditEvent } from '@lookout/audit';
import { readEventsFile } from '@lookout/audit/reader';
import { createInstruments } from '@lookout/catalog';
import { buildDigest, REVIEW_QUEUE, ReviewStore, type JobData } from '@lookout/reviews';
import { listen, type RunningService } from '@lookout/service-kit';
import { startRedis, type TestRedis } from '@lookout/testkit';
import { createReviewerClient } from './reviewer-client.ts';
import { createMcpApp } from './server.ts';
import { installTestTelemetry, startStubReviewer, type StubReviewer } from './fixtures.test-support.ts';

export const MAX_BODY_BYTES = 256 * 1024;

export interface McpHarness {
  url: string;
  redis: Redis;
  queue: Queue<JobData>;
  store: ReviewStore;
  reviewer: StubReviewer;
  keys: { a: { token: string; keyId: string }; b: { token: string; keyId: string } };
  /** A connected SDK client for `token`; close it when done. */
  connect(token: string, headers?: Record<string, string>): Promise<Client>;
  /** A raw POST /mcp with the headers an MCP client sends, as `token`. */
  post(token: string, body: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  /** Every audit event spooled so far (record resolves once on disk, so no waiting). */
  audited(): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

export async function startMcpHarness(): Promise<McpHarness> {
  const telemetry = installTestTelemetry();
  const testRedis: TestRedis = await startRedis();
  const redis = new Redis(testRedis.url, { maxRetriesPerRequest: 2 });
  const workerRedis = new Redis(testRedis.url, { maxRetriesPerRequest: null });
  const eventsRedis = new Redis(testRedis.url, { maxRetriesPerRequest: null });
  const reviewer = await startStubReviewer();
  const queue = new Queue<JobData>(REVIEW_QUEUE, { connection: redis });
  const queueEvents = new QueueEvents(REVIEW_QUEUE, { connection: eventsRedis });
  const store = new ReviewStore(redis);
  // Builds digests as apps/worker's processor does; review jobs are left queued.
  const worker = new Worker<JobData>(
    REVIEW_QUEUE,
    async (job) => (job.data.kind === 'digest' ? buildDigest(await store.listCreatedBetween(job.data.sinceMs, job.data.untilMs), job.data.sinceMs, job.data.untilMs, job.data.requestedBy) : null),
    { connection: workerRedis },
  );
  const apiKeys = new ApiKeyStore(redis);
  const a = await apiKeys.createApiKey({ name: 'a' });
  const b = await apiKeys.createApiKey({ name: 'b' });
  const spoolDir = mkdtempSync(join(tmpdir(), 'mcp-harness-audit-'));
  const audit: Audit = await createAudit({ spoolDir, service: 'mcp-server', ship: false, meter: telemetry.meter });
  const service: RunningService = await listen(
    createMcpApp({
      audit,
      apiKeys,
      store,
      queue,
      queueEvents,
      reviewer: createReviewerClient({ baseUrl: reviewer.url, timeoutMs: 5000 }),
      digestTimeoutMs: 5000,
      maxBodyBytes: MAX_BODY_BYTES,
      instruments: createInstruments(telemetry.meter, 'mcp-server'),
      tracer: telemetry.tracer,
    }),
    { port: 0, handleSignals: false },
  );
  const url = `${service.url}/mcp`;
  return {
    url,
    redis,
    queue,
    store,
    reviewer,
    keys: { a: { token: a.token, keyId: a.keyId }, b: { token: b.token, keyId: b.keyId } },
    async connect(token, headers = {}) {
      const client = new Client({ name: 'lookout-test', version: '0.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}`, ...headers } } }));
      return client;
    },
    async post(token, body, headers = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, ...headers },
        body,
      });
      return { status: res.status, text: await res.text() };
    },
    audited: async () => (await readEventsFile(spoolDir)) as AuditEvent[],
    async close() {
      await service.close();
      await worker.close();
      await queueEvents.close();
      await queue.close();
      for (const client of [redis, workerRedis, eventsRedis]) client.disconnect();
      await reviewer.close();
      await testRedis.stop();
      await audit.close();
      await telemetry.uninstall();
    },
  };
}
