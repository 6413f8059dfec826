// The worker against a real Redis and real BullMQ, with an in-memory trace exporter and log sink.
import { context, propagation, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstruments } from '@lookout/catalog';
import { createTestMeter } from '@lookout/catalog/testing';
import { createLogger } from '@lookout/logger';
import { loadPipelineOptions } from '@lookout/review-pipeline';
import { captureJobContext, defaultJobOptions, REVIEW_QUEUE, ReviewStore, type Digest, type JobContext } from '@lookout/reviews';
import { redisMissing, startRedis, waitUntil, type TestRedis } from '@lookout/testkit';
import { createReviewRunner } from './review-runner.ts';
import { startWorker, type RunningWorker } from './worker.ts';

// Request ids are UUIDs: a service drops any other baggage request_id as client input.
const REQUEST_ID = '3c6e1f0a-9b2d-4a7e-8f5c-1d0e2b3a4c5f';

const SAMPLE_DIFF = `diff --git a/src/app.ts b/src/app.ts
--- a/src/app.ts
+++ b/src/app.ts
@@ -1,2 +1,4 @@
 const a = 1;
+// TODO: remove before release
+console.log('debugging', a);
 export default a;
`;
const EXPLODING_DIFF = 'EXPLODE';
const SLOW_DIFF = 'SLOW';

const skip = redisMissing();

describe.skipIf(skip)('worker with Redis and BullMQ', { timeout: 20_000 }, () => {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
  const tracer: Tracer = tracerProvider.getTracer('test');
  const meter = createTestMeter();
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger({ destination: { write: (line: string) => void logLines.push(JSON.parse(line)) } }).child({ logger: 'worker' });

  let redis: TestRedis;
  let connection: Redis;
  let store: ReviewStore;
  let producer: Queue;
  let events: QueueEvents;
  let running: RunningWorker;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
    redis = await startRedis();
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    store = new ReviewStore(connection);
    // The producer's options, with a short backoff so the retry test stays quick.
    producer = new Queue(REVIEW_QUEUE, { connection, defaultJobOptions: { ...defaultJobOptions, backoff: { type: 'fixed', delay: 20 } } });
    events = new QueueEvents(REVIEW_QUEUE, { connection: connection.duplicate() });
    await events.waitUntilReady();
    const realReview = createReviewRunner(loadPipelineOptions({}), { tracer });
    running = startWorker({
      connection,
      store,
      review: async (diff) => {
        if (diff === EXPLODING_DIFF) throw new Error('pipeline exploded');
        if (diff === SLOW_DIFF) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return realReview(SAMPLE_DIFF);
        }
        return realReview(diff);
      },
      instruments: createInstruments(meter.meter, 'worker'),
      tracer,
      logger,
      gaugeRefreshMs: 10,
    });
    await running.worker.waitUntilReady();
  }, 30_000);

  afterAll(async () => {
    await running?.close();
    await events?.close();
    await producer?.close();
    await connection?.quit();
    await redis?.stop();
    await meter.shutdown();
    await tracerProvider.shutdown();
    context.disable();
    propagation.disable();
  });

  /** Enqueues like the MCP server: inside a producer span whose baggage carries request_id and user_id. */
  async function produce(name: string, data: (carrier: JobContext) => Record<string, unknown>, requestId = REQUEST_ID, userId = 'key-7') {
    const baggage = propagation.createBaggage({ request_id: { value: requestId }, user_id: { value: userId } });
    return tracer.startActiveSpan('send reviews', async (span) => {
      try {
        const carrier = context.with(propagation.setBaggage(context.active(), baggage), captureJobContext);
        const job = await producer.add(name, data(carrier));
        return { job, producerSpanId: span.spanContext().spanId, traceId: span.spanContext().traceId };
      } finally {
        span.end();
      }
    });
  }

  async function queuedReview(id: string, diff: string) {
    await store.put({ id, status: 'queued', source: 'job', requestedBy: 'key-7', createdAt: Date.now() });
    return produce('review', (carrier) => ({ kind: 'review', reviewId: id, diff, requestedBy: 'key-7', context: carrier }));
  }

  const processed = async (kind: string, outcome: string) =>
    ((await meter.points('lookout.jobs.processed')).find((p) => p.attributes['lookout.job.kind'] === kind && p.attributes.outcome === outcome)?.value as number | undefined) ?? 0;

  const finalState = (job: Job) =>
    waitUntil(`job ${job.id} to finish`, async () => {
      const state = await producer.getJobState(job.id!);
      return state === 'completed' || state === 'failed' ? state : undefined;
    });

  it('processes a review job and stores its findings', async () => {
    const { job } = await queuedReview('review-1', SAMPLE_DIFF);
    const result = await job.waitUntilFinished(events, 15_000);
    expect(result).toEqual({ reviewId: 'review-1', outcome: 'success', findings: 2 });
    const stored = await store.get('review-1');
    expect(stored).toMatchObject({ status: 'completed', outcome: 'success' });
    expect(stored?.findings?.map((f) => [f.module, f.file, f.line])).toEqual([
      ['todos', 'src/app.ts', 2],
      ['debug_leftovers', 'src/app.ts', 3],
    ]);
    expect(await processed('review', 'completed')).toBe(1);
    const duration = (await meter.points('messaging.process.duration')).find((p) => p.attributes['lookout.job.kind'] === 'review');
    expect(duration?.attributes).toEqual({
      'messaging.system': 'bullmq',
      'messaging.operation.name': 'process',
      'messaging.destination.name': 'reviews',
      'lookout.job.kind': 'review',
    });
  });

  it('runs the job under a CONSUMER span that is the child of the producer span', async () => {
    const { job, producerSpanId, traceId } = await queuedReview('review-2', SAMPLE_DIFF);
    await job.waitUntilFinished(events, 15_000);
    const consumer = await waitUntil('the consumer span', () =>
      spans.getFinishedSpans().find((s) => s.name === 'process reviews' && s.attributes['messaging.message.id'] === job.id),
    );
    expect(consumer.kind).toBe(4); // SpanKind.CONSUMER
    expect(consumer.spanContext().traceId).toBe(traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producerSpanId);
    expect(consumer.attributes).toMatchObject({
      'messaging.system': 'bullmq',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'reviews',
      'lookout.job.kind': 'review',
    });
    // The pipeline's span hangs below the consumer span.
    const review = spans.getFinishedSpans().find((s) => s.name === 'review' && s.parentSpanContext?.spanId === consumer.spanContext().spanId);
    expect(review).toBeDefined();
  });

  it("logs with the request_id and user_id from the job's baggage", async () => {
    const { job, traceId } = await queuedReview('review-3', SAMPLE_DIFF);
    await job.waitUntilFinished(events, 15_000);
    const line = await waitUntil('the "job completed" line', () => logLines.find((l) => l.msg === 'job completed' && l.job_id === job.id));
    expect(line).toMatchObject({ request_id: REQUEST_ID, user_id: 'key-7', trace_id: traceId, kind: 'review' });
  });

  it('answers a digest job with a digest that counts the reviews', async () => {
    const since = Date.now() - 60_000;
    const { job } = await produce('digest', (carrier) => ({ kind: 'digest', sinceMs: since, untilMs: Date.now() + 1, requestedBy: 'key-7', context: carrier }));
    const digest = (await job.waitUntilFinished(events, 15_000)) as Digest;
    expect(digest.reviews).toBe(3);
    expect(digest.byStatus).toEqual({ completed: 3 });
    expect(digest.findings).toBe(6);
    expect(digest.topFindings[0]).toMatchObject({ count: 3 });
    expect(await processed('digest', 'completed')).toBe(1);
  });

  it('retries a job whose processing throws, then keeps it as failed', async () => {
    const retriedBefore = await processed('review', 'retried');
    const failedBefore = await processed('review', 'failed');
    const { job } = await queuedReview('review-boom', EXPLODING_DIFF);
    expect(await finalState(job)).toBe('failed');
    const kept = await Job.fromId(producer, job.id!);
    expect(kept?.attemptsMade).toBe(defaultJobOptions.attempts);
    expect(kept?.failedReason).toBe('pipeline exploded');
    expect((await producer.getFailed()).map((j) => j.id)).toContain(job.id);
    expect(await store.get('review-boom')).toMatchObject({ status: 'failed', error: 'Error: pipeline exploded' });
    expect(await processed('review', 'retried')).toBe(retriedBefore + defaultJobOptions.attempts - 1);
    expect(await processed('review', 'failed')).toBe(failedBefore + 1);
    const line = logLines.find((l) => l.msg === 'job failed' && l.job_id === job.id);
    expect(line).toMatchObject({ attempt: 3, error_type: '_OTHER' });
  });

  it('fails invalid job data at once, without retries, and counts it', async () => {
    const failedBefore = await processed('review', 'failed');
    const job = await producer.add('review', { kind: 'review', reviewId: 42 });
    expect(await finalState(job)).toBe('failed');
    const kept = await Job.fromId(producer, job.id!);
    expect(kept?.attemptsMade).toBe(1);
    expect(kept?.failedReason).toMatch(/^invalid job data/);
    expect(await processed('review', 'failed')).toBe(failedBefore + 1);
    const duration = (await meter.points('messaging.process.duration')).find((p) => p.attributes['error.type'] === 'invalid_payload');
    expect(duration).toBeDefined();
  });

  it('fails text that is not a diff without retries', async () => {
    const { job } = await queuedReview('review-not-a-diff', 'just some words');
    expect(await finalState(job)).toBe('failed');
    expect((await Job.fromId(producer, job.id!))?.attemptsMade).toBe(1);
    expect(await store.get('review-not-a-diff')).toMatchObject({ status: 'failed' });
  });

  it('reports queue depth by state and the oldest waiting age', async () => {
    const depth = await meter.points('lookout.queue.depth');
    const byState = Object.fromEntries(depth.map((p) => [p.attributes.state, p.value]));
    expect(byState).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 3 });
    expect((await meter.points('lookout.queue.oldest_waiting_job.age'))[0]?.value).toBe(0);
  });

  // Last: it closes the worker.
  it('closing waits for the active job to finish', async () => {
    const { job } = await queuedReview('review-slow', SLOW_DIFF);
    await waitUntil('the slow job to be active', async () => (await producer.getJobState(job.id!)) === 'active' || undefined);
    await running.close();
    expect(running.isRunning()).toBe(false);
    expect(await producer.getJobState(job.id!)).toBe('completed');
    expect(await store.get('review-slow')).toMatchObject({ status: 'completed' });
  });
});
