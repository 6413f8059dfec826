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

/** Calls review_diff for `seconds` from CONCURRENCY clients; returns each call's latency in ms. */
export async function reviewDiffLoad(mcpUrl: string, apiKey: string, seconds: number): Promise<number[]> {
  const latenciesMs: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const client = new Client({ name: 'bench', version: '0.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${apiKey}` } } }));
      try {
        while (performance.now() < deadline) {
          const t = performance.now();
          const result = await client.callTool({ name: 'review_diff', arguments: { diff: DIFF } });
          if (result.isError) throw new Error(`bench: review_diff failed: ${JSON.stringify(result.content).slice(0, 200)}`);
          latenciesMs.push(performance.now() - t);
        }
      } finally {
        await client.close();
      }
    }),
  );
  return latenciesMs;
}
