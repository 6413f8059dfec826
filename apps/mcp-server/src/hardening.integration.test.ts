// What an outside probe found on POST /mcp, each against the real server, real Redis and the SDK's
// client: client strings kept out of audit records, no call left unaudited, deep arguments refused
// with -32602 (and audited), Content-Encoding mismatches answered 400, batches with shared ids refused.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@lookout/audit';
import { redisMissing } from '@lookout/testkit';
import { startMcpHarness, type McpHarness } from './harness.test-support.ts';

const skip = redisMissing();
const DIFF = 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,2 @@\n const a = 1;\n+// TODO: remove\n';
// A secret-shaped string (a GitHub token's shape) and one no pattern knows: neither may be recorded.
const SHAPED_SECRET = `ghp_${'Q7x9'.repeat(9)}`;
const PLAIN_SECRET = 'hunter2-probe-SECRET-7f3a';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const request = (id: number | string, method: string, params: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method, params });

describe.skipIf(skip)('POST /mcp against what an outside probe sends', () => {
  let harness: McpHarness;
  const newEvents = async (before: number) => (await harness.audited()).slice(before);

  beforeAll(async () => {
    harness = await startMcpHarness();
  });
  afterAll(() => harness?.close());

  it('records a call to a secret-shaped or unknown tool as _OTHER, never refusing the record', async () => {
    const before = (await harness.audited()).length;
    const client = await harness.connect(harness.keys.a.token);
    try {
      for (const name of [SHAPED_SECRET, PLAIN_SECRET]) {
        const result = (await client.callTool({ name, arguments: {} })) as CallToolResult;
        expect(result.isError).toBe(true);
      }
    } finally {
      await client.close();
    }
    const calls = (await newEvents(before)).filter((e) => e.action === 'mcp.tool.invoke');
    expect(calls.map((e) => [e.target.id, e.outcome])).toEqual([
      ['_OTHER', 'failure'],
      ['_OTHER', 'failure'],
    ]);
    const stored = JSON.stringify(await harness.audited());
    expect(stored).not.toContain(SHAPED_SECRET);
    expect(stored).not.toContain(PLAIN_SECRET);
  });

  it('names only the arguments a tool declares in the audit record', async () => {
    const before = (await harness.audited()).length;
    const client = await harness.connect(harness.keys.a.token);
    try {
      const result = (await client.callTool({ name: 'review_diff', arguments: { diff: DIFF, [SHAPED_SECRET]: 1, [PLAIN_SECRET]: 'x' } })) as CallToolResult;
      expect(result.isError, JSON.stringify(result)).toBeFalsy();
    } finally {
      await client.close();
    }
    const [call] = (await newEvents(before)).filter((e) => e.action === 'mcp.tool.invoke') as [AuditEvent];
    expect((call.metadata as { arguments: { sizes: Record<string, number> } }).arguments.sizes).toEqual({ diff: JSON.stringify(DIFF).length, _other: 4 });
    expect(JSON.stringify(call)).not.toContain(PLAIN_SECRET);
  });

  it('replaces a client x-request-id that is not a UUID: it never reaches the audit record', async () => {
    const before = (await harness.audited()).length;
    const res = await harness.post(harness.keys.a.token, JSON.stringify(request(1, 'tools/call', { name: 'get_review', arguments: { id: 'nope' } })), { 'x-request-id': PLAIN_SECRET });
    expect(res.status).toBe(200);
    const events = await newEvents(before);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.request_id).toMatch(UUID);
    expect(JSON.stringify(events)).not.toContain(PLAIN_SECRET);
    // Refused requests too: the 401's record has a fresh id.
    const refused = await harness.post('lk_0000000000000000_nope', '{}', { 'x-request-id': PLAIN_SECRET });
    expect(refused.status).toBe(401);
    expect(JSON.stringify(await newEvents(before))).not.toContain(PLAIN_SECRET);
  });

  it('answers arguments nested 5,000 deep with 400 and -32602, audits the refusal, and stays healthy', async () => {
    const before = (await harness.audited()).length;
    const depth = 5000;
    const body = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"review_diff","arguments":{"diff":${'['.repeat(depth)}${']'.repeat(depth)}}}}`;
    const res = await harness.post(harness.keys.a.token, body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32602, message: expect.stringMatching(/deeper than 64/) } });
    const [refused] = (await newEvents(before)).filter((e) => e.action === 'mcp.tool.invoke') as [AuditEvent];
    expect(refused).toMatchObject({ target: { type: 'tool', id: 'review_diff' }, outcome: 'failure', reason: 'jsonrpc_error -32602', actor: { id: harness.keys.a.keyId } });

    const client = await harness.connect(harness.keys.a.token);
    const after = (await client.callTool({ name: 'review_diff', arguments: { diff: DIFF } })) as CallToolResult;
    await client.close();
    expect(after.isError).toBeFalsy();
  });

  it('answers a body that does not match its Content-Encoding with 400 and a JSON-RPC error body', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await harness.post(harness.keys.a.token, JSON.stringify(request(1, 'tools/list')), { 'content-encoding': encoding });
      expect(res.status, encoding).toBe(400);
      expect(JSON.parse(res.text), encoding).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringMatching(/Content-Encoding/) } });
    }
    const badCharset = await harness.post(harness.keys.a.token, JSON.stringify(request(1, 'tools/list')), { 'content-type': 'application/json; charset=ebcdic' });
    expect(badCharset.status).toBe(415);
    expect(JSON.parse(badCharset.text)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
  });

  it('refuses a batch whose requests share an id, and answers a batch of distinct ids one response each', async () => {
    const shared = await harness.post(harness.keys.a.token, JSON.stringify([request(1, 'tools/list'), request(1, 'tools/list'), request(1, 'ping')]));
    expect(shared.status).toBe(400);
    expect(JSON.parse(shared.text)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringMatching(/distinct ids/) } });

    const distinct = await harness.post(harness.keys.a.token, JSON.stringify([request(1, 'tools/list'), request(2, 'tools/list'), request('3', 'ping')]));
    expect(distinct.status).toBe(200);
    const answers = JSON.parse(distinct.text) as { id: unknown }[];
    expect(Array.isArray(answers)).toBe(true);
    expect(answers.map((answer) => answer.id).sort()).toEqual([1, 2, '3']);
  });
});
