import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { findingSchema, reviewOutcomeSchema } from '@lookout/reviews';
import { diffInput, runTool, toolResult, type Caller, type ToolDeps } from './shared.ts';

export const reviewDiffOutput = z.object({
  reviewId: z.string(),
  outcome: reviewOutcomeSchema,
  findings: z.array(findingSchema),
});

/** review_diff: reviews a unified diff now (synchronously, through the reviewer) and stores the result. */
export function registerReviewDiff(server: McpServer, deps: ToolDeps, caller: Caller): void {
  server.registerTool(
    'review_diff',
    {
      title: 'Review a diff',
      description: 'Reviews a unified diff now and returns the findings. The result is also stored; get_review reads it again by reviewId.',
      inputSchema: diffInput,
      outputSchema: reviewDiffOutput,
    },
    ({ diff }) =>
      runTool('review_diff', async () => {
        const now = deps.now ?? Date.now;
        const createdAt = now();
        const { findings, outcome } = await deps.reviewer.review(diff);
        const reviewId = randomUUID();
        await deps.store.put({
          id: reviewId,
          status: 'completed',
          source: 'review_diff',
          requestedBy: caller.keyId,
          createdAt,
          completedAt: now(),
          outcome,
          findings,
        });
        return toolResult({ reviewId, outcome, findings });
      }),
  );
}
