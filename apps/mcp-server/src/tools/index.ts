import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerBotDigest } from './bot-digest.ts';
import { registerGetReview } from './get-review.ts';
import { registerReviewDiff } from './review-diff.ts';
import { registerSubmitReviewJob } from './submit-review-job.ts';
import type { Caller, ToolDeps } from './shared.ts';

export type { Caller, ToolDeps } from './shared.ts';

export function registerTools(server: McpServer, deps: ToolDeps, caller: Caller): void {
  registerReviewDiff(server, deps, caller);
  registerSubmitReviewJob(server, deps, caller);
  registerGetReview(server, deps, caller);
  registerBotDigest(server, deps);
}
