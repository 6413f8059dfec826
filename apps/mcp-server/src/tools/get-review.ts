import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { storedReviewSchema } from '@lookout/reviews';
import { runTool, ToolFailure, toolResult, type Caller, type ToolDeps } from './shared.ts';

const getReviewInput = z.object({ id: z.string().min(1).max(128).describe('The reviewId from review_diff or submit_review_job.') });
const getReviewOutput = z.object(storedReviewSchema.shape);

/** get_review: a stored review, queued, running, completed or failed. */
export function registerGetReview(server: McpServer, deps: ToolDeps, caller: Caller): void {
  server.registerTool(
    'get_review',
    {
      title: 'Get a review',
      description: 'Returns a review by id: its status, and its findings once completed.',
      inputSchema: getReviewInput,
      outputSchema: getReviewOutput,
      annotations: { readOnlyHint: true },
    },
    ({ id }) =>
      runTool('get_review', async () => {
        const review = await deps.store.get(id);
        // Reviews are private to the API key that asked for them; another key's review looks unknown.
        if (!review || review.requestedBy !== caller.keyId) throw new ToolFailure('no review with that id for this API key; submit_review_job returns the ids');
        return toolResult(review);
      }),
  );
}
