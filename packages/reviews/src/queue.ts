import { context, propagation } from '@opentelemetry/api';
import { withAllowedBaggage } from '@lookout/logger';
import type { JobContext } from './schema.ts';

/** The one BullMQ queue the worker consumes; job names are the job kinds. */
export const REVIEW_QUEUE = 'reviews';

/**
 * How long finished jobs stay in Redis, as BullMQ keeps them (age in seconds, count). A review job's
 * data holds the raw diff, so finished jobs are bounded both ways:
 * - completed: the result is in the ReviewStore and the worker drops the diff from the job once it
 *   completes; the job is kept 1 hour (at most 1,000) for debugging;
 * - failed: kept 7 days (as long as the ReviewStore keeps the review), at most 1,000, with the diff,
 *   because `lookout jobs requeue` runs them again.
 * BullMQ applies these only when another job finishes; the worker also sweeps by age (worker README).
 */
export const jobRetention = {
  completed: { age: 3600, count: 1000 },
  failed: { age: 7 * 24 * 3600, count: 1000 },
} as const;

/** Failed jobs retry with exponential backoff; finished jobs are kept as jobRetention says. */
export const defaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: jobRetention.completed,
  removeOnFail: jobRetention.failed,
} as const;

/**
 * The active trace context and baggage, as a carrier to put in job data. Of the baggage only the
 * logger's allow-list goes in (request_id as a UUID, user_id as a plain identifier): job data sits in
 * Redis, so a client's own baggage entries are never copied there.
 */
export function captureJobContext(): JobContext {
  const carrier: Record<string, string> = {};
  propagation.inject(withAllowedBaggage(context.active()), carrier);
  return carrier;
}

/** The OTel context a consumer should run the job in, so its span is the producer's child; baggage cut to the allow-list here too. */
export const restoreJobContext = (carrier: JobContext) => withAllowedBaggage(propagation.extract(context.active(), carrier));
