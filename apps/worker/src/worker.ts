// BullMQ wiring: one Worker on the reviews queue, each job run in its producer's trace and log
// context under a CONSUMER span, measured through the catalog's instruments.
import { context, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { InstrumentsFor } from '@lookout/catalog';
import { getLogger, logContextFromBaggage, withLogContext, type Logger } from '@lookout/logger';
import { getTracer } from '@lookout/otel-bootstrap';
import { jobContextSchema, REVIEW_QUEUE, restoreJobContext } from '@lookout/reviews';
import {
  isFinalAttempt,
  jobErrorType,
  parseJobData,
  processJob,
  safeErrorMessage,
  type JobResult,
  type ProcessorDeps,
} from './processor.ts';
import { startQueueGauges } from './queue-gauges.ts';
import { startRetention, type Retention, type RetentionOptions } from './retention.ts';

export type WorkerInstruments = InstrumentsFor<'worker'>;

export interface StartWorkerOptions extends ProcessorDeps {
  /** Shared ioredis client (maxRetriesPerRequest: null); BullMQ duplicates it for its blocking reads. */
  connection: Redis;
  instruments: WorkerInstruments;
  /** Default: the global tracer provider's '@lookout/worker' tracer. */
  tracer?: Tracer;
  /** Default: getLogger('worker'). */
  logger?: Logger;
  /** Jobs processed at once; default 2. */
  concurrency?: number;
  /** How stale the queue gauges may be; default 5000 ms. */
  gaugeRefreshMs?: number;
  /** Ages past which finished jobs are swept; default jobRetention from @lookout/reviews. */
  retention?: RetentionOptions['retention'];
  /** How often finished jobs past their age are removed; default 60 000 ms. */
  retentionSweepMs?: number;
}

export interface RunningWorker {
  worker: Worker;
  /** A producer-side handle on the same queue, used by the gauges and the retention sweep. */
  queue: Queue;
  /** Drops diffs from finished jobs and sweeps old ones (retention.ts). */
  retention: Retention;
  isRunning(): boolean;
  /** Stops taking jobs, waits for the active ones, closes the queue handles (not the shared connection). */
  close(): Promise<void>;
}

const KINDS = new Set(['review', 'digest']);
const knownKind = (name: string) => (KINDS.has(name) ? (name as 'review' | 'digest') : undefined);

export function startWorker(options: StartWorkerOptions): RunningWorker {
  const { connection, instruments, concurrency = 2, gaugeRefreshMs = 5000 } = options;
  const tracer = options.tracer ?? getTracer('@lookout/worker');
  const log = options.logger ?? getLogger('worker');
  const processor = (job: Job) => runInJobContext(job, () => processTraced(job, tracer, log, options));
  const worker = new Worker(REVIEW_QUEUE, processor, { connection, concurrency });
  // Without a listener an 'error' event would crash the process; BullMQ reconnects on its own.
  worker.on('error', (error) => log.error({ err: error }, 'worker error'));
  const queue = new Queue(REVIEW_QUEUE, { connection });
  const stopGauges = startQueueGauges({ queue, instruments, refreshMs: gaugeRefreshMs, logger: log });
  const retention = startRetention({ worker, queue, logger: log, retention: options.retention, sweepMs: options.retentionSweepMs });
  let closing: Promise<void> | undefined;
  return {
    worker,
    queue,
    retention,
    isRunning: () => worker.isRunning() && !closing,
    close: () =>
      (closing ??= (async () => {
        stopGauges();
        await worker.close();
        // After the active jobs finished: their diffs are dropped before the queue handle goes.
        await retention.stop();
        await queue.close();
      })()),
  };
}

/**
 * Runs fn in the producer's context (so the consumer span is its child) and in a log context with
 * the request_id/user_id the producer put in the baggage, plus the job id.
 */
function runInJobContext<T>(job: Job, fn: () => T): T {
  const carrier = jobContextSchema.safeParse((job.data as { context?: unknown } | undefined)?.context);
  const parent = restoreJobContext(carrier.success ? carrier.data : {});
  return context.with(parent, () => withLogContext({ ...logContextFromBaggage(), jobId: job.id }, fn));
}

function processTraced(job: Job, tracer: Tracer, log: Logger, options: StartWorkerOptions): Promise<JobResult> {
  const { instruments } = options;
  const kind = knownKind(job.name);
  const attributes = {
    'messaging.system': 'bullmq',
    'messaging.operation.name': 'process',
    'messaging.destination.name': REVIEW_QUEUE,
  } as const;
  const spanAttributes = {
    ...attributes,
    'messaging.operation.type': 'process',
    'messaging.message.id': job.id ?? '',
    'lookout.job.kind': job.name,
    'lookout.job.attempt': job.attemptsMade + 1,
  };
  return tracer.startActiveSpan(`process ${REVIEW_QUEUE}`, { kind: SpanKind.CONSUMER, attributes: spanAttributes }, async (span) => {
    const started = performance.now();
    let errorType: ReturnType<typeof jobErrorType> | undefined;
    try {
      const result = await processJob(job, parseJobData(job), options);
      if (kind) instruments.jobsProcessed.add(1, { 'lookout.job.kind': kind, outcome: 'completed' });
      log.info({ kind: job.name, attempt: job.attemptsMade + 1 }, 'job completed');
      return result;
    } catch (error) {
      const final = isFinalAttempt(job, error);
      const message = safeErrorMessage(error);
      errorType = jobErrorType(error);
      span.setAttribute('error.type', errorType);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      // A job whose name is no known kind can't be labelled (the inventory's kinds are a closed set).
      if (kind) instruments.jobsProcessed.add(1, { 'lookout.job.kind': kind, outcome: final ? 'failed' : 'retried' });
      const fields = { kind: job.name, attempt: job.attemptsMade + 1, attempts: job.opts.attempts ?? 1, error: message, error_type: errorType };
      if (final) log.error(fields, 'job failed');
      else log.warn(fields, 'job attempt failed; it will be retried');
      throw error;
    } finally {
      if (kind) {
        const seconds = (performance.now() - started) / 1000;
        instruments.jobProcessDuration.record(seconds, { ...attributes, 'lookout.job.kind': kind, ...(errorType ? { 'error.type': errorType } : {}) });
      }
      span.end();
    }
  });
}
