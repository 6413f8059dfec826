// Retention against a real Redis and real BullMQ: raw diffs leave Redis once the worker no longer
// needs them, and finished jobs are bounded by count and removed past their age, idle queue or not.
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstruments } from '@lookout/catalog';
import { createTestMeter } from '@lookout/catalog/testing';
import { createLogger } from '@lookout/logger';
import { loadPipelineOptions } from '@lookout/review-pipeline';
import { defaultJobOptions, REVIEW_QUEUE, ReviewStore } from '@lookout/reviews';
import { redisMissing, startRedis, waitUntil, type TestRedis } from '@lookout/testkit';
import { createReviewRunner } from './review-runner.ts';
import { startWorker, type RunningWorker, type StartWorkerOptions } from './worker.ts';

// The key is AWS's documented example: the kind of line a diff must not leave behind in Redis.
const DIFF = "--- a/a.ts\n+++ b/a.ts\n@@ -1 +1,2 @@\n a\n+const key = 'AKIAIOSFODNN7EXAMPLE';\n";
const EXPLODING_DIFF = '--- a/boom.ts\n+++ b/boom.ts\n@@ -1 +1,2 @@\n a\n+EXPLODE\n';

const skip = redisMissing();

describe.skipIf(skip)('job retention with Redis and BullMQ', { timeout: 20_000 }, () => {
  const silent = createLogger({ destination: { write: () => undefined } });
  const realReview = createReviewRunner(loadPipelineOptions({}));
  let redis: TestRedis;
  let connection: Redis;
  let producer: Queue;
  let running: RunningWorker;

  const start = (options: Partial<StartWorkerOptions> = {}) =>
    startWorker({
      connection,
      store: new ReviewStore(connection),
      review: async (diff) => {
        if (diff === EXPLODING_DIFF) throw new Error('pipeline exploded');
        return realReview(diff);
      },
      instruments: createInstruments(createTestMeter().meter, 'worker'),
      logger: silent,
      ...options,
    });

  const finished = (job: Job) =>
    waitUntil(`job ${job.id} to finish`, async () => {
      const state = await producer.getJobState(job.id!);
      return state === 'completed' || state === 'failed' ? state : undefined;
    });
  const dataOf = async (id: string) => (await Job.fromId(producer, id))?.data as Record<string, unknown> | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    producer = new Queue(REVIEW_QUEUE, { connection, defaultJobOptions });
    running = start();
    await running.worker.waitUntilReady();
  }, 30_000);

  afterAll(async () => {
    await running?.close();
    await producer?.close();
    await connection?.quit();
    await redis?.stop();
  });

  const review = (id: string, diff: string, opts = {}) =>
    producer.add('review', { kind: 'review', reviewId: id, diff, requestedBy: 'key-1', context: {} }, { jobId: id, ...opts });

  it('drops the diff from a completed job and keeps the rest', async () => {
    const job = await review('done-1', DIFF);
    expect(await finished(job)).toBe('completed');
    const data = await waitUntil('the diff to be dropped', async () => {
      const current = await dataOf('done-1');
      return current && !('diff' in current) ? current : undefined;
    });
    expect(data).toEqual({ kind: 'review', reviewId: 'done-1', requestedBy: 'key-1', context: {} });
    expect((await Job.fromId(producer, 'done-1'))?.returnvalue).toMatchObject({ reviewId: 'done-1', outcome: 'success' });
    // Nowhere in the job's hash: not in data, not in the return value.
    expect(JSON.stringify(await connection.hgetall(`bull:${REVIEW_QUEUE}:done-1`))).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('drops the diff of a job that can never succeed, and keeps it where a requeue needs it', async () => {
    const hopeless = await review('not-a-diff', 'AKIAIOSFODNN7EXAMPLE is not a diff');
    expect(await finished(hopeless)).toBe('failed');
    await waitUntil('the diff to be dropped', async () => {
      const current = await dataOf('not-a-diff');
      return current && !('diff' in current);
    });
    const retryable = await review('exploded', EXPLODING_DIFF, { attempts: 1 });
    expect(await finished(retryable)).toBe('failed');
    expect(await dataOf('exploded')).toMatchObject({ diff: EXPLODING_DIFF });
  });

  it('keeps at most the configured count of failed jobs, newest first', async () => {
    const bounded = { ...defaultJobOptions, attempts: 1, removeOnFail: { ...defaultJobOptions.removeOnFail, count: 2 } };
    let last: Job | undefined;
    for (const id of ['boom-1', 'boom-2', 'boom-3']) {
      last = await review(id, EXPLODING_DIFF, bounded);
      expect(await finished(last)).toBe('failed');
    }
    const failed = await producer.getFailed();
    expect(failed.map((j) => j.id).sort()).toEqual(['boom-2', 'boom-3']);
  });

  // Last: it replaces the worker.
  it('removes finished jobs past their age, with the queue idle', async () => {
    expect(await producer.getJobCountByTypes('completed', 'failed')).toBeGreaterThan(0);
    await running.close();
    // A tiny age and a quick sweep; nothing else finishes, so BullMQ's own removal never runs.
    running = start({ retention: { completed: { age: 0.2 }, failed: { age: 0.2 } }, retentionSweepMs: 50 });
    await waitUntil('finished jobs to be swept', async () => (await producer.getJobCountByTypes('completed', 'failed')) === 0);
    expect(await Job.fromId(producer, 'done-1')).toBeUndefined();
    expect(await Job.fromId(producer, 'exploded')).toBeUndefined();
    const left = await connection.keys(`bull:${REVIEW_QUEUE}:*`);
    expect(left.filter((key) => /:(done-1|exploded|boom-\d|not-a-diff)$/.test(key))).toEqual([]);
  });
});
