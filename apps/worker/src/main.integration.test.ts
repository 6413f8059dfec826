// The worker as production starts it: Node 24 from node_modules/.bin, the bootstrap preloaded, a real Redis.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventory, prometheusName, type MetricSpec } from '@lookout/catalog';
import { defaultJobOptions, REVIEW_QUEUE, ReviewStore } from '@lookout/reviews';
import { freePort, redisMissing, startRedis, waitUntil, type RunningProcess, type TestRedis } from '@lookout/testkit';
import { listeningUrl, startWorkerProcess } from './worker-process.test-support.ts';

const skip = redisMissing();

describe.skipIf(skip)('worker process', { timeout: 30_000 }, () => {
  let redis: TestRedis;
  let worker: RunningProcess;
  let url: string;
  let connection: Redis;
  let producer: Queue;

  beforeAll(async () => {
    redis = await startRedis();
    // The drift check on, against a port nothing listens on: it must run and say "unreadable".
    worker = startWorkerProcess({ REDIS_URL: redis.url, PORT: '0', LOOKOUT_QUEUE_GAUGE_REFRESH_MS: '100', LOOKOUT_PROMETHEUS_URL: `http://127.0.0.1:${await freePort()}`, LOOKOUT_DRIFT_INTERVAL_MS: '500' });
    url = await listeningUrl(worker);
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    producer = new Queue(REVIEW_QUEUE, { connection, defaultJobOptions });
  }, 30_000);

  afterAll(async () => {
    await worker?.stop();
    await producer?.close();
    await connection?.quit();
    await redis?.stop();
  });

  it('answers /health and, with Redis up and the worker running, /health/ready', async () => {
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { redis: 'ok', worker: 'ok' } });
  });

  it("processes a job and exposes the worker's inventory metrics on /metrics", async () => {
    const store = new ReviewStore(connection);
    await store.put({ id: 'child-1', status: 'queued', source: 'job', requestedBy: 'key-1', createdAt: Date.now() });
    const diff = 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1,2 @@\n a\n+// TODO: later\n';
    await producer.add('review', { kind: 'review', reviewId: 'child-1', diff, requestedBy: 'key-1', context: {} });
    const stored = await waitUntil('the review to complete', async () => {
      const review = await store.get('child-1');
      return review?.status === 'completed' ? review : undefined;
    }, { context: () => worker.tail() });
    expect(stored.findings?.map((f) => f.module)).toEqual(['todos']);

    const metrics = await waitUntil('the first drift check', async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text.includes('lookout_drift_check_success{') ? text : undefined;
    }, { context: () => worker.tail() });
    // The SLO report's age has no series until a report file exists (the daily job has not run here), and
    // lookout_config_drift has no value for a component the check could not read (never a false 0).
    const expected = (Object.values(inventory) as MetricSpec[]).filter((m) => m.service === 'worker' && m.name !== 'lookout.config.drift' && m.name !== 'lookout.slo_report.age');
    expect(expected.length).toBeGreaterThanOrEqual(4);
    for (const metric of expected) expect(metrics, metric.name).toContain(`# TYPE ${prometheusName(metric.name, metric.instrument)} `);
    expect(metrics).toMatch(/lookout_jobs_processed_total\{[^}]*lookout_job_kind="review"[^}]*outcome="completed"[^}]*\} 1/);
    expect(metrics).toMatch(/lookout_queue_depth\{[^}]*state="waiting"[^}]*\} 0/);
    expect(metrics).toMatch(/lookout_drift_check_success\{[^}]*component="prometheus"[^}]*\} 0/);
    expect(metrics).not.toMatch(/lookout_config_drift\{/);
    expect(metrics).toMatch(/lookout_slo_report_runs_total\{[^}]*outcome="failure"[^}]*\} 0/);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await worker.stop(10_000)).toBe(0);
    expect(worker.output()).toContain('"msg":"stopping"');
  });
});

describe('worker process with a bad environment', () => {
  it('exits 1 naming the variable, without quoting its value', async () => {
    const worker = startWorkerProcess({ PORT: '0', REDIS_URL: 'http://user:hunter2@nowhere' });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain('REDIS_URL');
    expect(worker.output()).not.toContain('hunter2');
  }, 30_000);
});
