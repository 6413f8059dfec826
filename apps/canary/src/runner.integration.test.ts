// The runner against a real MCP server (the SDK's own, on loopback) that answers as told: one
// attempt per run, the verdict of that attempt (a failure is never retried into a success), the
// reason, and the metrics it leaves.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { trace } from '@opentelemetry/api';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createInstruments } from '@lookout/catalog';
import { createTestMeter, type TestMeter } from '@lookout/catalog/testing';
import { getLogger } from '@lookout/logger';
import { EXPECTED_FINDINGS } from './fixture.ts';
import { createRunner } from './runner.ts';

type Answer = 'right' | 'wrong' | 'error';

describe('probe runs against a real MCP server', () => {
  let server: Server;
  let url: string;
  let meter: TestMeter;
  const calls: string[] = [];
  let answers: Answer[] = [];
  const TOKEN = 'lk_test_canary';

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
        return;
      }
      const mcp = new McpServer({ name: 'fake', version: '0.0.0' });
      mcp.registerTool('review_diff', { inputSchema: { diff: z.string() } }, () => {
        calls.push('review_diff');
        const answer = answers.shift() ?? 'right';
        if (answer === 'error') return { content: [{ type: 'text', text: 'reviewer down' }], isError: true };
        const findings = answer === 'right' ? EXPECTED_FINDINGS.map((f) => ({ ...f })) : [];
        const value = { reviewId: 'r1', outcome: 'success', findings };
        return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => void transport.close());
      await mcp.connect(transport);
      await transport.handleRequest(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(async () => {
    calls.length = 0;
    answers = [];
    await meter?.shutdown();
  });

  const runner = (token = TOKEN, mcpUrl = url) => {
    meter = createTestMeter();
    return createRunner({ mcpUrl, token, deadlineMs: 5000, jobDeadlineMs: 5000, instruments: createInstruments(meter.meter, 'canary'), tracer: trace.getTracer('test'), logger: getLogger('canary-test') });
  };
  const failures = async () => (await meter.points('lookout.canary.failures')).map((p) => [p.attributes.probe, p.attributes.reason, p.value]);

  it('passes on the exact findings, once', async () => {
    const verdict = await runner().run('review');
    expect(verdict).toMatchObject({ probe: 'review', ok: true });
    expect(calls).toEqual(['review_diff']);
    expect((await meter.points('probe.success')).map((p) => p.value)).toEqual([1]);
  });

  it('fails with wrong_result on other findings, and does not try again though the next answer would pass', async () => {
    answers = ['wrong', 'right'];
    const verdict = await runner().run('review');
    expect(verdict).toMatchObject({ ok: false, reason: 'wrong_result' });
    expect(calls).toEqual(['review_diff']);
    expect(await failures()).toEqual([['review', 'wrong_result', 1]]);
    expect((await meter.points('lookout.canary.runs')).map((p) => [p.attributes.outcome, p.value])).toEqual([['failure', 1]]);
  });

  it('fails with server_error on an error result, once', async () => {
    answers = ['error', 'right'];
    expect(await runner().run('review')).toMatchObject({ ok: false, reason: 'server_error' });
    expect(calls).toEqual(['review_diff']);
  });

  it('fails with auth when its key is refused, and unreachable when nothing listens', async () => {
    expect(await runner('lk_wrong').run('review')).toMatchObject({ ok: false, reason: 'auth' });
    expect(await runner(TOKEN, 'http://127.0.0.1:9/mcp').run('review')).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(calls).toEqual([]);
  });
});
