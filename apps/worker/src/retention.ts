// Keeps raw diffs out of Redis once the worker no longer needs them. BullMQ removes finished jobs
// by age and count (jobRetention, set on each job by the producer), but only when another job
// finishes; this adds what it does not do:
// - a completed review job's diff is dropped from its data at once (the result is in the store);
// - so is the diff of a job that failed for good with an unrecoverable error (requeueing it could
//   never succeed); other failed jobs keep theirs for `lookout jobs requeue`, bounded by age;
// - a sweep removes finished jobs past their age even when the queue is idle.
import type { Job, Queue, Worker } from 'bullmq';
import { jobRetention } from '@lookout/reviews';
import type { Logger } from '@lookout/logger';
import { isUnrecoverable } from './processor.ts';

export interface RetentionOptions {
  worker: Pick<Worker, 'on' | 'off'>;
  queue: Pick<Queue, 'clean'>;
  logger: Logger;
  /** Ages in seconds past which finished jobs are removed; default jobRetention from @lookout/reviews. */
  retention?: { completed: { age: number }; failed: { age: number } };
  /** How often the sweep runs; default 60 000 ms. */
  sweepMs?: number;
}

export interface Retention {
  /** Removes finished jobs past their age now; the number removed. */
  sweep(): Promise<number>;
  /** Stops the sweep and the listeners, and waits for diffs being dropped. */
  stop(): Promise<void>;
}

/** Most jobs one sweep removes per state: a bounded Redis script call. */
const SWEEP_LIMIT = 1000;

/** The job's data without the diff; undefined when there is no diff to drop. */
export function withoutDiff(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== 'object' || data === null || !('diff' in data)) return undefined;
  const { diff: _diff, ...rest } = data as Record<string, unknown>;
  return rest;
}

export function startRetention({ worker, queue, logger, retention = jobRetention, sweepMs = 60_000 }: RetentionOptions): Retention {
  const pending = new Set<Promise<void>>();
  const dropDiff = (job: Job) => {
    const data = withoutDiff(job.data);
    if (!data) return;
    // The job may already be gone (removed by count or age): nothing left to drop.
    const update = job.updateData(data).catch((error: unknown) => logger.debug({ err: error, job_id: job.id }, 'could not drop the diff from a finished job'));
    pending.add(update);
    void update.finally(() => pending.delete(update));
  };
  const onCompleted = (job: Job) => dropDiff(job);
  const onFailed = (job: Job | undefined, error: Error) => {
    if (job && isUnrecoverable(error)) dropDiff(job);
  };
  worker.on('completed', onCompleted);
  worker.on('failed', onFailed);

  const sweep = async () => {
    const removed = await Promise.all([
      queue.clean(retention.completed.age * 1000, SWEEP_LIMIT, 'completed'),
      queue.clean(retention.failed.age * 1000, SWEEP_LIMIT, 'failed'),
    ]);
    return removed[0].length + removed[1].length;
  };
  const timer = setInterval(() => {
    sweep().catch((error: unknown) => logger.warn({ err: error }, 'could not remove old finished jobs; will try again'));
  }, sweepMs);
  timer.unref();

  return {
    sweep,
    stop: async () => {
      clearInterval(timer);
      worker.off('completed', onCompleted);
      worker.off('failed', onFailed);
      await Promise.all(pending);
    },
  };
}
