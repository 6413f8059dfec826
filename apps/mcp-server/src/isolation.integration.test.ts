// Every tool is scoped to the caller's API key: a second key can neither read nor infer the first
// key's data through any tool. The tools are enumerated from the server itself (tools/list), so a new
// tool without an isolation case below fails this test until it gets one.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing } from '@lookout/testkit';
import { startMcpHarness, type McpHarness } from './harness.test-support.ts';

const skip = redisMissing();
const DIFF = 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,2 @@\n const a = 1;\n+// TODO: remove\n';
// Text only key A's data holds: a failure message of one of its reviews.
const A_MARKER = 'worker crashed on key-a-private-repo/billing.ts';

/** What key A owns, created through the tools (and one failed review put in the store as the worker would). */
interface OwnedByA {
  reviewIds: string[];
  keyId: string;
}

interface IsolationCase {
  /** B's arguments; they may name A's data (an id) to try to reach it. */
  argumentsOfB(owned: OwnedByA): Record<string, unknown>;
  /** What B's answer must look like, beyond carrying none of A's data. */
  check(answer: CallToolResult, owned: OwnedByA, call: (args: Record<string, unknown>) => Promise<CallToolResult>): Promise<void>;
}

const text = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

// One case per registered tool. A tool missing here fails the test: decide how it is scoped, then add it.
const CASES: Record<string, IsolationCase> = {
  review_diff: {
    argumentsOfB: () => ({ diff: DIFF }),
    check: async (answer) => expect(answer.isError, text(answer)).toBeFalsy(),
  },
  submit_review_job: {
    argumentsOfB: () => ({ diff: DIFF }),
    check: async (answer) => expect(answer.isError, text(answer)).toBeFalsy(),
  },
  get_review: {
    argumentsOfB: (owned) => ({ id: owned.reviewIds[0] }),
    check: async (answer, owned, call) => {
      // A's review looks exactly like one that does not exist: nothing to infer from the answer.
      const unknown = await call({ id: 'no-such-review' });
      expect(answer.isError).toBe(true);
      expect(text(answer).replace(owned.reviewIds[0] as string, '<id>')).toBe(text(unknown).replace('no-such-review', '<id>'));
    },
  },
  bot_digest: {
    argumentsOfB: () => ({ sinceMinutes: 60 }),
    check: async (answer) => {
      expect(answer.isError, text(answer)).toBeFalsy();
      // B has asked for nothing yet in this window (its own calls come after this one in CASES order
      // only for other tools): its digest counts none of A's reviews.
      expect(answer.structuredContent).toMatchObject({ reviews: 0, findings: 0, failures: [], topFindings: [] });
    },
  },
};

describe.skipIf(skip)('every MCP tool is scoped to the calling API key', () => {
  let harness: McpHarness;
  let a: Client;
  let b: Client;
  const owned: OwnedByA = { reviewIds: [], keyId: '' };

  beforeAll(async () => {
    harness = await startMcpHarness();
    owned.keyId = harness.keys.a.keyId;
    a = await harness.connect(harness.keys.a.token);
    b = await harness.connect(harness.keys.b.token);
    const reviewed = (await a.callTool({ name: 'review_diff', arguments: { diff: DIFF } })) as CallToolResult;
    const queued = (await a.callTool({ name: 'submit_review_job', arguments: { diff: DIFF } })) as CallToolResult;
    owned.reviewIds.push((reviewed.structuredContent as { reviewId: string }).reviewId, (queued.structuredContent as { reviewId: string }).reviewId);
    const failedId = '9d1c0f6e-0000-4000-8000-00000000a11e';
    await harness.store.put({ id: failedId, status: 'failed', source: 'job', requestedBy: owned.keyId, createdAt: Date.now() - 1000, error: A_MARKER });
    owned.reviewIds.push(failedId);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await harness?.close();
  });

  it('A sees its own data through bot_digest (the control: there is something to leak)', async () => {
    const digest = (await a.callTool({ name: 'bot_digest', arguments: { sinceMinutes: 60 } })) as CallToolResult;
    expect(digest.isError, text(digest)).toBeFalsy();
    expect(text(digest)).toContain(A_MARKER);
    expect(digest.structuredContent).toMatchObject({ reviews: 3 });
  });

  it('has an isolation case for every registered tool, and B gets none of A data from any of them', async () => {
    const { tools } = await b.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !CASES[name]), 'tools without an isolation case in this test').toEqual([]);

    // bot_digest first, while B owns nothing, so its digest must be empty.
    for (const name of [...names].sort((x, y) => Number(y === 'bot_digest') - Number(x === 'bot_digest'))) {
      const isolation = CASES[name] as IsolationCase;
      const args = isolation.argumentsOfB(owned);
      const call = async (callArgs: Record<string, unknown>) => (await b.callTool({ name, arguments: callArgs })) as CallToolResult;
      const answer = await call(args);
      // A's ids (except one B itself sent), A's key id and A's failure text never reach B.
      const sent = JSON.stringify(args);
      const aData = [...owned.reviewIds.filter((id) => !sent.includes(id)), owned.keyId, A_MARKER];
      const body = JSON.stringify(answer);
      for (const secret of aData) expect(body, `${name} answered B with A's ${secret}`).not.toContain(secret);
      await isolation.check(answer, owned, call);
    }
  });
});
