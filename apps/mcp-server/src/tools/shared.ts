import type { Queue, QueueEvents } from 'bullmq';
import { z } from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { JobData, ReviewStore } from '@lookout/reviews';
import { getLogger } from '@lookout/logger';
import type { ReviewerClient } from '../reviewer-client.ts';

const log = getLogger('mcp-server.tools');

/** The input of the two tools that take a diff: review_diff and submit_review_job. */
export const diffInput = z.object({ diff: z.string().min(1).describe('A unified diff, as `git diff` prints it.') });

/** What the tools use; tests pass real Redis-backed parts and a stub reviewer. */
export interface ToolDeps {
  store: ReviewStore;
  queue: Pick<Queue<JobData>, 'add'>;
  /** Shared by all requests; bot_digest waits on it for the digest job to finish. */
  queueEvents: QueueEvents;
  reviewer: ReviewerClient;
  /** How long bot_digest waits for the worker. */
  digestTimeoutMs: number;
  /** Clock; default Date.now. */
  now?: () => number;
}

/** Who is calling: the API key the request was authenticated with. */
export interface Caller {
  keyId: string;
}

/** A failure whose message is meant for the client (as a tool error result). */
export class ToolFailure extends Error {
  override readonly name = 'ToolFailure';
}

/** A successful result: the value as JSON text (for any client) and as structuredContent. */
export function toolResult<T extends Record<string, unknown>>(value: T): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * Runs a tool body. A ToolFailure (or an error marked safe) becomes a tool error with its message;
 * anything else is logged and answered with a generic message, so internals never reach the client.
 */
export async function runTool(tool: string, body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ToolFailure) {
      // An expected refusal (unknown id, timeout): no stack needed.
      log.info({ tool, reason: error.message }, 'tool refused');
      return toolError(error.message);
    }
    if (error instanceof Error && error.name === 'ReviewerError') {
      log.warn({ tool, err: error }, 'tool failed');
      return toolError(error.message);
    }
    log.error({ tool, err: error }, 'tool failed unexpectedly');
    return toolError(`${tool} failed with an internal error; the x-request-id response header finds the logs`);
  }
}
