import { z } from 'zod';

export const severitySchema = z.enum(['info', 'warning', 'error']);

export const findingSchema = z.object({
  module: z.string(),
  severity: severitySchema,
  /** Null for findings about the whole diff, e.g. an oversized change or a failed module. */
  file: z.string().nullable(),
  line: z.number().int().positive().nullable(),
  message: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

export const reviewOutcomeSchema = z.enum(['success', 'partial', 'failure']);

/** A review as stored: queued and running ones have no findings yet. */
export const storedReviewSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  source: z.enum(['review_diff', 'job']),
  requestedBy: z.string(),
  createdAt: z.number(),
  completedAt: z.number().optional(),
  outcome: reviewOutcomeSchema.optional(),
  findings: z.array(findingSchema).optional(),
  error: z.string().optional(),
});
export type StoredReview = z.infer<typeof storedReviewSchema>;

/** The W3C trace context and the log context travel with every job, as a plain carrier. */
export const jobContextSchema = z.object({
  traceparent: z.string().optional(),
  tracestate: z.string().optional(),
  baggage: z.string().optional(),
});
export type JobContext = z.infer<typeof jobContextSchema>;

export const reviewJobSchema = z.object({
  kind: z.literal('review'),
  reviewId: z.string(),
  diff: z.string(),
  requestedBy: z.string(),
  context: jobContextSchema,
});
export type ReviewJob = z.infer<typeof reviewJobSchema>;

export const digestJobSchema = z.object({
  kind: z.literal('digest'),
  sinceMs: z.number(),
  untilMs: z.number(),
  /** The principal (API key id) whose reviews the digest covers: a digest never mixes callers. */
  requestedBy: z.string().min(1),
  context: jobContextSchema,
});
export type DigestJob = z.infer<typeof digestJobSchema>;

export const jobDataSchema = z.discriminatedUnion('kind', [reviewJobSchema, digestJobSchema]);
export type JobData = z.infer<typeof jobDataSchema>;

export const digestSchema = z.object({
  sinceMs: z.number(),
  untilMs: z.number(),
  reviews: z.number(),
  byStatus: z.record(z.string(), z.number()),
  byOutcome: z.record(z.string(), z.number()),
  findings: z.number(),
  topFindings: z.array(z.object({ module: z.string(), severity: severitySchema, message: z.string(), count: z.number() })),
  failures: z.array(z.object({ id: z.string(), error: z.string() })),
});
export type Digest = z.infer<typeof digestSchema>;
