import { context, propagation } from '@opentelemetry/api';
import { withAllowedBaggage } from '@lookout/logger';
import type { JobContext } from './schema.ts';

/** The one BullMQ queue the worker consumes; job names are the job kinds. */
export const REVIEW_QUEUE = 'reviews';

/** Failed jobs retry with exponential backoff, and the last failures are kept for inspection. */
export const defaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { count: 1000 },
  removeOnFail: false,
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
