// Queue depth and the age of the oldest waiting job, read from Redis at most once per refresh
// interval: every scrape (and every reader, Prometheus and OTLP alike) shares one snapshot.
import type { Queue } from 'bullmq';
import type { InstrumentsFor } from '@lookout/catalog';
import { REVIEW_QUEUE } from '@lookout/reviews';
import { getLogger, type Logger } from '@lookout/logger';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueSnapshot {
  counts: Record<QueueState, number>;
  /** Seconds since the oldest waiting job was created; 0 when nothing waits. */
  oldestWaitingAgeSeconds: number;
}

export interface QueueGaugesOptions {
  queue: Pick<Queue, 'name' | 'getJobCounts' | 'getWaiting'>;
  instruments: Pick<InstrumentsFor<'worker'>, 'queueDepth' | 'queueOldestWaitingAge'>;
  /** How long one snapshot serves; default 5000 ms. */
  refreshMs?: number;
  /** Clock; default Date.now. */
  now?: () => number;
  /** Default: getLogger('worker'). */
  logger?: Logger;
}

/** Reads one snapshot of the queue from Redis. */
export async function readQueueSnapshot(queue: QueueGaugesOptions['queue'], now: () => number = Date.now): Promise<QueueSnapshot> {
  const [raw, oldest] = await Promise.all([queue.getJobCounts(...QUEUE_STATES), queue.getWaiting(0, 0)]);
  const counts = Object.fromEntries(QUEUE_STATES.map((state) => [state, raw[state] ?? 0])) as Record<QueueState, number>;
  // getWaiting lists oldest first; a job's timestamp is its creation time.
  const created = oldest[0]?.timestamp;
  const oldestWaitingAgeSeconds = created === undefined ? 0 : Math.max(0, (now() - created) / 1000);
  return { counts, oldestWaitingAgeSeconds };
}

/** Registers the gauge callbacks; returns a function that unregisters them. */
export function startQueueGauges({ queue, instruments, refreshMs = 5000, now = Date.now, logger }: QueueGaugesOptions): () => void {
  const log = logger ?? getLogger('worker');
  let cached: { at: number; snapshot: Promise<QueueSnapshot | undefined> } | undefined;

  // Both gauges are observed in one collection; they share one (possibly in-flight) read.
  const snapshot = (): Promise<QueueSnapshot | undefined> => {
    const at = now();
    if (!cached || at - cached.at >= refreshMs) {
      cached = {
        at,
        snapshot: readQueueSnapshot(queue, now).catch((error: unknown) => {
          // No measurement beats a wrong one; /health/ready reports Redis being away.
          log.warn({ err: error }, 'could not read the queue for its gauges');
          cached = undefined;
          return undefined;
        }),
      };
    }
    return cached.snapshot;
  };

  const destination = { 'messaging.destination.name': REVIEW_QUEUE } as const;

  const stopDepth = instruments.queueDepth.addCallback(async (observer) => {
    const current = await snapshot();
    if (!current) return;
    for (const state of QUEUE_STATES) observer.observe(current.counts[state], { ...destination, state });
  });
  const stopAge = instruments.queueOldestWaitingAge.addCallback(async (observer) => {
    const current = await snapshot();
    if (current) observer.observe(current.oldestWaitingAgeSeconds, destination);
  });
  return () => {
    stopDepth();
    stopAge();
  };
}
