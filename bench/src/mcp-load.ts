// The load both MCP cases drive: CONCURRENCY clients calling review_diff back to back.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export const CONCURRENCY = 8;

/** A small diff that trips two reviewer modules (TODO and debug leftovers), as a real review would. */
export const DIFF = [
  'diff --git a/src/app.ts b/src/app.ts',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,2 +1,4 @@',
  ' const a = 1;',
  '+// TODO: handle the empty case',
  '+console.log(a);',
  ' export { a };',
  '',
].join('\n');

/** CONCURRENCY connected MCP clients, kept across bursts so a burst times calls, not handshakes. */
export interface McpClients {
  /** Calls review_diff for `seconds` from every client; returns each call's latency in ms. */
  burst(seconds: number): Promise<number[]>;
  close(): Promise<void>;
}

export async function connectClients(mcpUrl: string, apiKey: string): Promise<McpClients> {
  const clients = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const client = new Client({ name: 'bench', version: '0.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${apiKey}` } } }));
      return client;
    }),
  );
  return {
    async burst(seconds) {
      const latenciesMs: number[] = [];
      const deadline = performance.now() + seconds * 1000;
      await Promise.all(
        clients.map(async (client) => {
          while (performance.now() < deadline) {
            const t = performance.now();
            const result = await client.callTool({ name: 'review_diff', arguments: { diff: DIFF } });
            if (result.isError) throw new Error(`bench: review_diff failed: ${JSON.stringify(result.content).slice(0, 200)}`);
            latenciesMs.push(performance.now() - t);
          }
        }),
      );
      return latenciesMs;
    },
    async close() {
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}

/** Connects CONCURRENCY clients, calls review_diff for `seconds`, disconnects; each call's latency in ms. */
export async function reviewDiffLoad(mcpUrl: string, apiKey: string, seconds: number): Promise<number[]> {
  const clients = await connectClients(mcpUrl, apiKey);
  try {
    return await clients.burst(seconds);
  } finally {
    await clients.close();
  }
}
