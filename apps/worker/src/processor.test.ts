import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { ReviewStore, StoredReview } from '@lookout/reviews';
import { InvalidJobError, isFinalAttempt, jobErrorType, parseJobData, processJob, safeErrorMessage, type JobLike } from './processor.ts';

/** A ReviewStore stand-in with the same merge semantics, for processor logic without Redis. */
function memoryStore(initial: StoredReview[] = []) {
  const reviews = new Map(initial.map((r) => [r.id, r]));
  const store = {
    async put(review: StoredReview) {
      reviews.set(review.id, review);
    },
    async get(id: string) {
      return reviews.get(id);
    },
    async update(id: string, fields: Partial<StoredReview>) {
      const current = reviews.get(id);
      if (!current) return undefined;
      const next = { ...current, ...fields };
      reviews.set(id, next);
      return next;
    },
    async listCreatedBetween(since: number, until: number) {
      return [...reviews.values()].filter((r) => r.createdAt >= since && r.createdAt < until);
    },
  };
  return { store: store as unknown as ReviewStore, reviews };
}

const context = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
const reviewData = { kind: 'review', reviewId: 'r1', diff: 'diff', requestedBy: 'key-1', context };
const job = (overrides: Partial<JobLike> = {}): JobLike => ({ id: '1', name: 'review', data: reviewData, timestamp: 1000, attemptsMade: 0, opts: { attempts: 3 }, ...overrides });
const finding = { module: 'todos', severity: 'info' as const, file: 'a.ts', line: 3, message: 'TODO marker' };

describe('parseJobData', () => {
  it('accepts the job contract', () => {
    expect(parseJobData(job())).toMatchObject({ kind: 'review', reviewId: 'r1' });
  });

  it('rejects bad data and a name that disagrees with data.kind, without retries', () => {
    expect(() => parseJobData(job({ data: { kind: 'review' } }))).toThrow(InvalidJobError);
    expect(() => parseJobData(job({ data: 'nope' }))).toThrow(/invalid job data/);
    expect(() => parseJobData(job({ name: 'digest' }))).toThrow(/does not match/);
    const error = (() => {
      try {
        parseJobData(job({ data: {} }));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(jobErrorType(error)).toBe('invalid_payload');
  });
});

describe('isFinalAttempt', () => {
  it('counts attempts the way BullMQ does', () => {
    expect(isFinalAttempt({ attemptsMade: 0, opts: { attempts: 3 } })).toBe(false);
    expect(isFinalAttempt({ attemptsMade: 2, opts: { attempts: 3 } })).toBe(true);
    expect(isFinalAttempt({ attemptsMade: 0, opts: {} })).toBe(true);
    expect(isFinalAttempt({ attemptsMade: 0, opts: { attempts: 3 } }, new UnrecoverableError('no'))).toBe(true);
  });
});

describe('safeErrorMessage', () => {
  it('masks secrets and keeps it short', () => {
    const message = safeErrorMessage(new Error(`module crashed on AKIAIOSFODNN7EXAMPLE ${'x'.repeat(500)}`));
    expect(message).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(message.startsWith('Error: module crashed on')).toBe(true);
    expect(message.length).toBeLessThanOrEqual(200);
  });
});

describe('processJob', () => {
  const queued: StoredReview = { id: 'r1', status: 'queued', source: 'job', requestedBy: 'key-1', createdAt: 1000 };

  it('stores a completed review with its findings', async () => {
    const { store, reviews } = memoryStore([queued]);
    const result = await processJob(job(), parseJobData(job()), { store, review: async () => ({ findings: [finding], outcome: 'success' }), now: () => 2000 });
    expect(result).toEqual({ reviewId: 'r1', outcome: 'success', findings: 1 });
    expect(reviews.get('r1')).toMatchObject({ status: 'completed', completedAt: 2000, outcome: 'success', findings: [finding] });
  });

  it('creates the record when the producer did not', async () => {
    const { store, reviews } = memoryStore();
    await processJob(job(), parseJobData(job()), { store, review: async () => ({ findings: [], outcome: 'success' }) });
    expect(reviews.get('r1')).toMatchObject({ status: 'completed', source: 'job', requestedBy: 'key-1', createdAt: 1000 });
  });

  it('puts the review back in the queue between attempts and fails it after the last', async () => {
    const { store, reviews } = memoryStore([queued]);
    const review = async () => {
      throw new Error('boom ghp_0123456789abcdefghijklmnopqrstuvwxyzAB');
    };
    await expect(processJob(job(), parseJobData(job()), { store, review })).rejects.toThrow('boom');
    expect(reviews.get('r1')?.status).toBe('queued');
    const last = job({ attemptsMade: 2 });
    await expect(processJob(last, parseJobData(last), { store, review, now: () => 5000 })).rejects.toThrow('boom');
    expect(reviews.get('r1')).toMatchObject({ status: 'failed', completedAt: 5000 });
    expect(reviews.get('r1')?.error).toMatch(/^Error: boom/);
    expect(reviews.get('r1')?.error).not.toContain('ghp_0123456789');
  });

  it("builds a digest of the caller's reviews in the window", async () => {
    const { store } = memoryStore([
      { ...queued, status: 'completed', outcome: 'success', findings: [finding] },
      { ...queued, id: 'r2', createdAt: 9999 },
      { ...queued, id: 'r3', requestedBy: 'someone-else', status: 'failed', error: 'not yours' },
    ]);
    const data = { kind: 'digest', sinceMs: 0, untilMs: 5000, requestedBy: queued.requestedBy, context: {} };
    const digest = await processJob(job({ name: 'digest', data }), parseJobData({ name: 'digest', data }), { store, review: async () => ({ findings: [], outcome: 'success' }) });
    expect(digest).toMatchObject({ reviews: 1, findings: 1, byStatus: { completed: 1 } });
  });
});
