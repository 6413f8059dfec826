import { z } from 'zod';
import { findingSchema, reviewOutcomeSchema } from '@lookout/reviews';
import { getLogContext, maskString } from '@lookout/logger';

/** What review_diff needs from the reviewer's POST /review answer; other fields are ignored. */
export const reviewResponseSchema = z.object({
  findings: z.array(findingSchema),
  outcome: reviewOutcomeSchema,
});
export type ReviewResponse = z.infer<typeof reviewResponseSchema>;

export interface ReviewerClient {
  review(diff: string): Promise<ReviewResponse>;
  /** Resolves when GET /health answers 2xx. */
  health(): Promise<void>;
}

export interface ReviewerClientOptions {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:4101. */
  baseUrl: string;
  /** Per call; default 30 s. */
  timeoutMs?: number;
}

/** Thrown when the reviewer can't be reached or answers badly; the message is safe to show a client. */
export class ReviewerError extends Error {
  override readonly name = 'ReviewerError';
}

/**
 * The reviewer over HTTP with fetch: the undici instrumentation makes each call a client span and
 * propagates trace context and baggage; x-request-id carries the request id for the reviewer's logs.
 */
export function createReviewerClient({ baseUrl, timeoutMs = 30_000 }: ReviewerClientOptions): ReviewerClient {
  const headers = (): Record<string, string> => {
    const { requestId } = getLogContext();
    return requestId ? { 'x-request-id': requestId } : {};
  };
  return {
    async review(diff) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/review`, {
          method: 'POST',
          headers: { ...headers(), 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ diff }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        throw new ReviewerError(timedOut ? `the reviewer did not answer within ${timeoutMs} ms` : 'the reviewer is unreachable', { cause: error });
      }
      if (response.status === 400) {
        // The reviewer's 400 messages are fixed text meant for the client (e.g. "diff is not a unified diff: ..."),
        // and they tell the agent how to fix its call; masked and cut short all the same.
        const body = (await response.json().catch(() => undefined)) as { error?: { message?: unknown } } | undefined;
        const reason = typeof body?.error?.message === 'string' ? maskString(body.error.message).slice(0, 200) : 'bad request';
        throw new ReviewerError(`the reviewer refused the diff: ${reason}`);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new ReviewerError(`the reviewer answered HTTP ${response.status}`);
      }
      const parsed = reviewResponseSchema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) throw new ReviewerError('the reviewer answered with an unexpected body');
      return parsed.data;
    },
    async health() {
      const response = await fetch(`${baseUrl}/health`, { headers: headers(), signal: AbortSignal.timeout(Math.min(timeoutMs, 2000)) });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`reviewer /health answered HTTP ${response.status}`);
    },
  };
}
