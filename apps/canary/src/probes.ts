// The three probes, each one attempt and one verdict (never retried into a success): review_diff on
// the fixture, a review job submitted and read until completed, and bot_digest.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CANARY_PROBES } from '@lookout/catalog';
import { digestSchema, storedReviewSchema, type Finding } from '@lookout/reviews';
import { z } from 'zod';
import { ProbeFailure } from './failure.ts';
import { EXPECTED_FINDINGS, FIXTURE_DIFF } from './fixture.ts';

export type ProbeName = (typeof CANARY_PROBES)[number];

export interface ProbeContext {
  client: Client;
  /** Aborts at the probe's deadline. */
  signal: AbortSignal;
  /** When the canary's last job completed (ms), for the digest probe; undefined before any. */
  lastCompletedJobAt?: number;
  /** Polling pause of the job probe; default 250 ms. */
  pollMs?: number;
}

type ToolResult = { isError?: boolean; structuredContent?: unknown; content?: unknown };

async function call(ctx: ProbeContext, name: string, args: Record<string, unknown>): Promise<unknown> {
  const result = (await ctx.client.callTool({ name, arguments: args }, undefined, { signal: ctx.signal, timeout: 60_000 })) as ToolResult;
  if (result.isError) throw new ProbeFailure('server_error', `${name} answered with an error result`);
  return result.structuredContent;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ProbeFailure('wrong_result', `${what} is not in the documented shape`);
  return parsed.data;
}

const key = (f: Pick<Finding, 'module' | 'severity' | 'file' | 'line' | 'message'>) => JSON.stringify([f.module, f.severity, f.file, f.line, f.message]);

/** The findings, exactly: same set, nothing more or less. */
function expectFindings(findings: readonly Finding[] | undefined, what: string): void {
  const got = (findings ?? []).map(key).sort();
  const want = EXPECTED_FINDINGS.map(key).sort();
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new ProbeFailure('wrong_result', `${what}: ${got.length} finding(s), expected the fixture's ${want.length}`);
}

const reviewDiffOutput = z.object({ reviewId: z.string(), outcome: z.enum(['success', 'partial', 'failure']), findings: z.array(storedReviewSchema.shape.findings.unwrap().element) });

export async function reviewProbe(ctx: ProbeContext): Promise<void> {
  const result = parse(reviewDiffOutput, await call(ctx, 'review_diff', { diff: FIXTURE_DIFF }), 'review_diff');
  if (result.outcome !== 'success') throw new ProbeFailure('wrong_result', `review_diff outcome ${result.outcome}, expected success`);
  expectFindings(result.findings, 'review_diff');
}

const submitOutput = z.object({ reviewId: z.string(), status: z.literal('queued') });
const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason as Error); }, { once: true });
});

/** Submits the fixture as a job and reads it until completed; the deadline (signal) ends it as timeout. */
export async function jobProbe(ctx: ProbeContext): Promise<number> {
  const { reviewId } = parse(submitOutput, await call(ctx, 'submit_review_job', { diff: FIXTURE_DIFF }), 'submit_review_job');
  for (;;) {
    const review = parse(storedReviewSchema, await call(ctx, 'get_review', { id: reviewId }), 'get_review');
    if (review.id !== reviewId) throw new ProbeFailure('wrong_result', 'get_review answered for another review');
    if (review.status === 'failed') throw new ProbeFailure('server_error', 'the review job failed');
    if (review.status === 'completed') {
      expectFindings(review.findings, 'the review job');
      return review.completedAt ?? Date.now();
    }
    await sleep(ctx.pollMs ?? 250, ctx.signal);
  }
}

/** bot_digest: its shape, and that it counts the canary's own completed job with the fixture's findings. */
export async function digestProbe(ctx: ProbeContext): Promise<void> {
  const digest = parse(digestSchema, await call(ctx, 'bot_digest', { sinceMinutes: 10 }), 'bot_digest');
  if (ctx.lastCompletedJobAt === undefined || ctx.lastCompletedJobAt < digest.sinceMs) {
    throw new ProbeFailure('wrong_result', 'no job of the canary completed in the digest window, so the digest cannot be checked');
  }
  if ((digest.byStatus.completed ?? 0) < 1) throw new ProbeFailure('wrong_result', 'bot_digest does not count the canary\'s completed job');
  for (const expected of EXPECTED_FINDINGS) {
    if (!digest.topFindings.some((f) => f.module === expected.module && f.severity === expected.severity && f.message === expected.message)) {
      throw new ProbeFailure('wrong_result', `bot_digest lacks the fixture's ${expected.module} finding`);
    }
  }
}
