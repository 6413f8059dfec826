import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { captureJobContext, defaultJobOptions, digestJobSchema, digestSchema } from '@lookout/reviews';
import { maskString } from '@lookout/logger';
import { runTool, ToolFailure, toolResult, type Caller, type ToolDeps } from './shared.ts';

export const MAX_DIGEST_MINUTES = 7 * 24 * 60;

const botDigestInput = z.object({
  sinceMinutes: z.number().positive().max(MAX_DIGEST_MINUTES).default(60).describe('Window length in minutes; default 60, at most 10080 (7 days).'),
});
const botDigestOutput = z.object(digestSchema.shape);

/** bot_digest: has the worker build a digest of the caller's recent reviews and waits for it. */
export function registerBotDigest(server: McpServer, deps: ToolDeps, caller: Caller): void {
  server.registerTool(
    'bot_digest',
    {
      title: 'Digest of recent reviews',
      description: 'Summarises your reviews (those asked for with this API key) of the last sinceMinutes minutes (default 60, at most 7 days): counts, top findings, failures.',
      inputSchema: botDigestInput,
      outputSchema: botDigestOutput,
      annotations: { readOnlyHint: true },
    },
    ({ sinceMinutes }) =>
      runTool('bot_digest', async () => {
        const untilMs = (deps.now ?? Date.now)();
        // Scoped to the caller: the digest covers only reviews this API key asked for, like get_review.
        const data = digestJobSchema.parse({ kind: 'digest', sinceMs: untilMs - Math.round(sinceMinutes * 60_000), untilMs, requestedBy: caller.keyId, context: captureJobContext() });
        const job = await deps.queue.add('digest', data, defaultJobOptions);
        let value: unknown;
        try {
          value = await job.waitUntilFinished(deps.queueEvents, deps.digestTimeoutMs);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          if (/timed out/.test(message)) {
            // Nobody waits for it any more; a worker that comes back later need not build it.
            await job.remove().catch(() => undefined);
            throw new ToolFailure(`the digest was not ready within ${deps.digestTimeoutMs} ms; is the worker running?`);
          }
          throw new ToolFailure(`the digest job failed: ${maskString(message).slice(0, 200)}`);
        }
        const digest = digestSchema.safeParse(value);
        if (!digest.success) throw new ToolFailure('the worker returned a digest in an unexpected shape');
        return toolResult(digest.data);
      }),
  );
}
