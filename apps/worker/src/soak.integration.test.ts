// A bounded soak: 1,200 review jobs through the worker as production starts it (the bootstrap
// preloaded, real Redis, always-on sampling), the live heap measured after GC once warmed up and
// after each round. A per-job leak (a map, listener, span or context kept per job) grows the heap by
// its size times the job count; a cache that keeps pieces of diffs grows it by whole diffs. Found
// this way: the logger's clean-string cache kept every reviewed diff a cached line was cut from.
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultJobOptions, REVIEW_QUEUE, ReviewStore } from '@lookout/reviews';
import { redisMissing, startRedis, waitUntil, type RunningProcess, type TestRedis } from '@lookout/testkit';
import { listeningUrl, startWorkerProcess } from './worker-process.test-support.ts';

const probe = join(import.meta.dirname, 'heap-probe.test-support.ts');

const WARM_UP_JOBS = 300;
/** Measured in rounds, with a sample after each: a bounded cache that holds diffs rises and falls, so the highest sample counts. */
const ROUNDS = 6;
const JOBS_PER_ROUND = 150;
const MEASURED_JOBS = ROUNDS * JOBS_PER_ROUND;
/**
 * Live heap growth allowed over MEASURED_JOBS: about 2 KiB per job, and a thirtieth of what the diffs
 * (64 KiB each) would hold if a cache kept them. Bounded caches refill between two samples, the
 * logger's clean-string cache being the largest (4,096 strings of at most 200 chars, ~1 MiB).
 */
const HEAP_GROWTH_BOUND_BYTES = 2 * 1024 * 1024;

/** process.memoryUsage() in the worker, after GC (heap-probe.test-support.ts). */
interface HeapSample {
  heapUsed: number;
  heapTotal: number;
  rss: number;
}

/**
 * A distinct diff per job with findings for every module, so nothing is served from a cache: 40 added
 * lines after 1,000 lines of context (~64 KiB), so that anything keeping a piece of a diff keeps a lot.
 */
function diffFor(n: number): string {
  const context = Array.from({ length: 1000 }, (_, i) => ` export const context${i} = ${i}; // unchanged line ${i} of file ${n}`);
  const added = Array.from({ length: 40 }, (_, i) => `+const value${n}_${i} = computeSomething(${n}, ${i}); // line ${i} of job ${n}`);
  const extra = added.length + 3;
  return [
    `diff --git a/src/file${n}.ts b/src/file${n}.ts`,
    `--- a/src/file${n}.ts`,
    `+++ b/src/file${n}.ts`,
    `@@ -1,${context.length} +1,${context.length + extra} @@`,
    ...context,
    `+// TODO: tidy job ${n}`,
    `+console.log('job ${n}');`,
    `+const key${n} = 'AKIAIOSFODNN7EXAMPL${String.fromCharCode(65 + (n % 26))}';`,
    ...added,
    '',
  ].join('\n');
}

/** A sampled traceparent and baggage unique to each job, as the MCP server's context would be. */
function contextFor(n: number) {
  const hex = n.toString(16).padStart(16, '0');
  return { traceparent: `00-${hex}${hex}-${hex}-01`, baggage: `request_id=req-${n},user_id=key-${n % 7}` };
}

const skip = redisMissing();

describe.skipIf(skip)('worker soak', { timeout: 90_000 }, () => {
  let redis: TestRedis;
  let worker: RunningProcess;
  let connection: Redis;
  let producer: Queue;
  let store: ReviewStore;
  let submitted = 0;

  beforeAll(async () => {
    redis = await startRedis();
    // Every span is created and ended (always_on); nothing is exported, there is no collector here.
    worker = startWorkerProcess({ REDIS_URL: redis.url, PORT: '0', OTEL_TRACES_SAMPLER: 'always_on' }, ['--expose-gc', '--import', probe]);
    await listeningUrl(worker);
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    producer = new Queue(REVIEW_QUEUE, { connection, defaultJobOptions });
    store = new ReviewStore(connection);
  }, 30_000);

  afterAll(async () => {
    await worker?.stop();
    await producer?.close();
    await connection?.quit();
    await redis?.stop();
  });

  /** Submits count jobs the way submit_review_job does, and waits until the worker processed all. */
  async function submitAndDrain(count: number): Promise<void> {
    const jobs = [];
    for (let i = 0; i < count; i++) {
      const n = submitted++;
      const reviewId = `soak-${n}`;
      await store.put({ id: reviewId, status: 'queued', source: 'job', requestedBy: `key-${n % 7}`, createdAt: Date.now() });
      jobs.push({ name: 'review', data: { kind: 'review', reviewId, diff: diffFor(n), requestedBy: `key-${n % 7}`, context: contextFor(n) }, opts: { ...defaultJobOptions, jobId: reviewId } });
    }
    await producer.addBulk(jobs);
    await waitUntil(`${submitted} jobs to be processed`, async () => {
      const pending = await producer.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
      return Object.values(pending).every((count) => count === 0);
    }, { timeoutMs: 45_000, context: () => worker.tail() });
    expect(await producer.getFailedCount()).toBe(0);
  }

  async function heap(): Promise<HeapSample> {
    const before = worker.output().split('\n').filter((line) => line.includes('"heap_probe"')).length;
    worker.child.kill('SIGUSR2');
    const line = await waitUntil('a heap probe line', () => worker.output().split('\n').filter((l) => l.includes('"heap_probe"'))[before], { context: () => worker.tail() });
    return (JSON.parse(line) as { heap_probe: HeapSample }).heap_probe;
  }

  it(`keeps the live heap flat over ${MEASURED_JOBS} jobs after ${WARM_UP_JOBS} to warm up`, async () => {
    await submitAndDrain(WARM_UP_JOBS);
    const warm = await heap();
    const samples: HeapSample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await submitAndDrain(JOBS_PER_ROUND);
      samples.push(await heap());
    }
    const growth = Math.max(...samples.map((sample) => sample.heapUsed)) - warm.heapUsed;
    // Printed for the record: the figures behind the bound.
    const kib = (bytes: number) => Math.round(bytes / 1024);
    process.stdout.write(`soak: heapUsed KiB warm ${kib(warm.heapUsed)}, then ${samples.map((sample) => kib(sample.heapUsed)).join(' ')}; most growth ${kib(growth)} KiB over ${MEASURED_JOBS} jobs; rss KiB ${kib(warm.rss)} to ${kib(samples.at(-1)!.rss)}\n`);
    expect(await store.get(`soak-${submitted - 1}`)).toMatchObject({ status: 'completed' });
    expect(growth).toBeLessThan(HEAP_GROWTH_BOUND_BYTES);
  });
});
