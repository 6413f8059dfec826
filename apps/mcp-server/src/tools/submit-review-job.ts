import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { captureJobContext, defaultJobOptions, reviewJobSchema } from '@lookout/reviews';
import { diffInput, runTool, toolResult, type Caller, type ToolDeps } from './shared.ts';

export const submitReviewJobOutput = z.object({
  reviewId: z.string(),
  jobId: z.string(),
  status: z.literal('queued'),
});

/** submit_review_job: stores a queued review and enqueues it for the worker; get_review follows it. */
export function registerSubmitReviewJob(server: McpServer, deps: ToolDeps, caller: Caller): void {
  server.registerTool(
    'submit_review_job',
    {
      title: 'Queue a diff for review',
      description: 'Queues a unified diff for review by the worker and returns at once. Poll get_review with the reviewId.',
      inputSchema: diffInput,
      outputSchema: submitReviewJobOutput,
    },
    ({ diff }) =>
      runTool('submit_review_job', async () => {
        const reviewId = randomUUID();
        // Stored before it is enqueued, so get_review knows the id even if the worker is quick.
        await deps.store.put({ id: reviewId, status: 'queued', source: 'job', requestedBy: caller.keyId, createdAt: (deps.now ?? Date.now)() });
        // The job id is the review id: one id to follow in the queue, the store and the logs.
        const data = reviewJobSchema.parse({ kind: 'review', reviewId, diff, requestedBy: caller.keyId, context: captureJobContext() });
        const job = await deps.queue.add('review', data, { ...defaultJobOptions, jobId: reviewId });
        return toolResult({ reviewId, jobId: job.id ?? reviewId, status: 'queued' as const });
      }),
  );
}
