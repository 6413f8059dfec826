// What a job does, given its dependencies: no BullMQ wiring, no telemetry (worker.ts adds both).
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { buildDigest, jobDataSchema, type Digest, type DigestJob, type Finding, type JobData, type ReviewJob, type ReviewStore } from '@lookout/reviews';
import { maskString } from '@lookout/logger';

/** What the reviewer pipeline returns that the worker keeps. */
export interface ReviewResult {
  findings: Finding[];
  outcome: 'success' | 'partial' | 'failure';
}

export interface ProcessorDeps {
  store: ReviewStore;
  /** Runs the reviewer pipeline over a diff; a throw fails the attempt (and BullMQ retries it). */
  review(diff: string): Promise<ReviewResult>;
  /** Clock for completedAt; default Date.now. */
  now?: () => number;
}

/** The parts of a BullMQ job the processor reads, so tests can pass plain objects. */
export interface JobLike {
  id?: string;
  name: string;
  data: unknown;
  timestamp: number;
  attemptsMade: number;
  opts: { attempts?: number };
}

/** What a review job returns: a summary; the findings themselves are in the store. */
export interface ReviewJobResult {
  reviewId: string;
  outcome: ReviewResult['outcome'];
  findings: number;
}

export type JobResult = ReviewJobResult | Digest;

const MAX_ERROR_LENGTH = 200;

/**
 * An error message fit to store and show: secrets masked, cut short. A pipeline error may quote
 * the diff, and the diff is exactly where secrets are.
 */
export function safeErrorMessage(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return `${name}: ${maskString(message)}`.slice(0, MAX_ERROR_LENGTH);
}

/** True when BullMQ will not try this job again after the current attempt fails. */
export function isFinalAttempt(job: Pick<JobLike, 'attemptsMade' | 'opts'>, error?: unknown): boolean {
  if (isUnrecoverable(error)) return true;
  // attemptsMade counts the attempts that already failed, so this one is number attemptsMade + 1.
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

export function isUnrecoverable(error: unknown): boolean {
  return error instanceof UnrecoverableError || (error instanceof Error && error.name === 'UnrecoverableError');
}

/** Invalid data can never succeed, so it fails at once: UnrecoverableError skips the retries. */
export function parseJobData(job: Pick<JobLike, 'name' | 'data'>): JobData {
  const parsed = jobDataSchema.safeParse(job.data);
  if (!parsed.success) throw new InvalidJobError(`invalid job data: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
  if (parsed.data.kind !== job.name) throw new InvalidJobError(`job name does not match data.kind "${parsed.data.kind}"`);
  return parsed.data;
}

export class InvalidJobError extends UnrecoverableError {
  constructor(message: string) {
    super(message.slice(0, 500));
    // BullMQ recognises the class; the name keeps it recognisable once it has crossed Redis.
    this.name = 'UnrecoverableError';
  }
}

/** Catalog error.type for a failed job (a closed set: timeout, invalid_payload, upstream_unavailable, _OTHER). */
export function jobErrorType(error: unknown): 'timeout' | 'invalid_payload' | 'upstream_unavailable' | '_OTHER' {
  if (error instanceof InvalidJobError) return 'invalid_payload';
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || code === 'ETIMEDOUT') return 'timeout';
  if (['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) return 'upstream_unavailable';
  return '_OTHER';
}

/** Processes one job whose data already passed parseJobData. */
export function processJob(job: JobLike, data: JobData, deps: ProcessorDeps): Promise<JobResult> {
  return data.kind === 'review' ? processReview(job, data, deps) : processDigest(data, deps);
}

async function processReview(job: JobLike, data: ReviewJob, { store, review, now = Date.now }: ProcessorDeps): Promise<ReviewJobResult> {
  const running = await store.update(data.reviewId, { status: 'running' });
  // The producer stores the review as queued first; a job enqueued without it still gets a record.
  if (!running) {
    await store.put({ id: data.reviewId, status: 'running', source: 'job', requestedBy: data.requestedBy, createdAt: job.timestamp });
  }
  let result: ReviewResult;
  try {
    result = await review(data.diff);
  } catch (error) {
    // Between attempts the review waits again; only the last failure is final.
    await store.update(
      data.reviewId,
      isFinalAttempt(job, error)
        ? { status: 'failed', completedAt: now(), error: safeErrorMessage(error) }
        : { status: 'queued', error: safeErrorMessage(error) },
    );
    throw error;
  }
  await store.update(data.reviewId, {
    status: 'completed',
    completedAt: now(),
    outcome: result.outcome,
    findings: result.findings,
    error: undefined,
  });
  return { reviewId: data.reviewId, outcome: result.outcome, findings: result.findings.length };
}

async function processDigest({ sinceMs, untilMs, requestedBy }: DigestJob, { store }: ProcessorDeps): Promise<Digest> {
  return buildDigest(await store.listCreatedBetween(sinceMs, untilMs), sinceMs, untilMs, requestedBy);
}
