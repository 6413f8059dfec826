// registerTools runs once per request (every request has its own McpServer), so what it registers must
// be cheap to register again: the schemas are built once, and the catalog reads their argument names.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, expect, it } from 'vitest';
import { registerTools, type ToolDeps } from './index.ts';

/** Registers every tool on a fresh server; returns each tool's schemas as registered. */
function registrations() {
  const server = new McpServer({ name: 'test', version: '0' }, { capabilities: { tools: {} } });
  const schemas = new Map<string, { input: unknown; output: unknown }>();
  const register = server.registerTool.bind(server);
  server.registerTool = ((name: string, config: { inputSchema?: unknown; outputSchema?: unknown }, callback: never) => {
    schemas.set(name, { input: config.inputSchema, output: config.outputSchema });
    return register(name, config as never, callback);
  }) as typeof server.registerTool;
  const catalog = registerTools(server, {} as ToolDeps, { keyId: '0000000000000000' });
  return { schemas, catalog };
}

describe('registerTools', () => {
  it('names each tool with the arguments its input schema declares', () => {
    const { catalog } = registrations();
    expect(Object.fromEntries(catalog)).toEqual({
      review_diff: ['diff'],
      submit_review_job: ['diff'],
      get_review: ['id'],
      bot_digest: ['sinceMinutes'],
    });
  });

  it('registers the same schema objects for every request, not new ones (a new one is compiled again on its first parse)', () => {
    const first = registrations().schemas;
    const second = registrations().schemas;
    expect(first.size).toBe(4);
    for (const [name, { input, output }] of first) {
      expect(second.get(name)?.input, `${name} input`).toBe(input);
      expect(second.get(name)?.output, `${name} output`).toBe(output);
    }
  });
});
