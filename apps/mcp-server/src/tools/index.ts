import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerBotDigest } from './bot-digest.ts';
import { registerGetReview } from './get-review.ts';
import { registerReviewDiff } from './review-diff.ts';
import { registerSubmitReviewJob } from './submit-review-job.ts';
import type { Caller, ToolDeps } from './shared.ts';

export type { Caller, ToolDeps } from './shared.ts';

/** Each registered tool's name with the argument names its input schema declares. */
export type ToolCatalog = ReadonlyMap<string, readonly string[]>;

/**
 * Registers every tool, each scoped to `caller`, and returns their catalog: the only tool and argument
 * names the audit trail records by name (anything else a client sends is `_OTHER` / `_other`). The
 * catalog is read from the registrations themselves, so a new tool can't be left out of it.
 *
 * This runs once per request (each request has its own McpServer), so every tool's schemas are
 * module-level objects built once: a schema built here would be compiled anew on its first parse
 * (index.test.ts checks the identity).
 */
export function registerTools(server: McpServer, deps: ToolDeps, caller: Caller): ToolCatalog {
  const catalog = new Map<string, readonly string[]>();
  const register = server.registerTool.bind(server);
  const untyped = register as (name: string, config: { inputSchema?: { shape?: object } }, callback: unknown) => ReturnType<typeof register>;
  server.registerTool = ((name: string, config: { inputSchema?: { shape?: object } }, callback: unknown) => {
    // An object schema's shape keys are the argument names.
    catalog.set(name, Object.keys(config.inputSchema?.shape ?? {}));
    return untyped(name, config, callback);
  }) as typeof server.registerTool;
  try {
    registerReviewDiff(server, deps, caller);
    registerSubmitReviewJob(server, deps, caller);
    registerGetReview(server, deps, caller);
    registerBotDigest(server, deps, caller);
  } finally {
    server.registerTool = register;
  }
  return catalog;
}
