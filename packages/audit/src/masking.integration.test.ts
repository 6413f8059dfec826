// End to end through the real collector (test mode): audit events whose client-influenced fields
// carry every secret shape of the corpus are masked by @lookout/audit BEFORE hashing, pass the
// collector untouched (it routes audit before its mask), verify, and hold none of the secrets.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLogContext } from '@lookout/logger';
import { findLeaks, generatedSecrets, SECRET_CORPUS, type SecretSample } from '@lookout/logger/testing';
import { collectorMissing, startCollector, waitUntil, type TestCollector } from '@lookout/testkit';
import { createAudit, type Audit } from './audit.ts';
import { digestArguments } from './digest.ts';
import type { AuditEvent } from './schema.ts';
import { spoolText, tempDir } from './fixtures.test-support.ts';
import { verifyEvents } from './verify.ts';

const skip = collectorMissing();
const SAMPLES: SecretSample[] = [...SECRET_CORPUS, ...generatedSecrets(40)];

interface OtlpLogs {
  resourceLogs: { scopeLogs: { logRecords: { body?: { stringValue?: string } }[] }[] }[];
}
const bodies = (lines: unknown[]) =>
  (lines as OtlpLogs[]).flatMap((line) => line.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords.map((record) => record.body?.stringValue ?? ''))));

/** One event per sample, the secret in every field a client can reach: ids, reason, argument names and values, request id. */
function record(audit: Audit, { text }: SecretSample): Promise<AuditEvent> {
  return withLogContext({ requestId: text }, () =>
    audit.record({
      action: 'mcp.tool.invoke',
      actor: { type: 'api_key', id: text.length <= 200 ? text : '0123456789abcdef' },
      target: { type: 'tool', id: text },
      outcome: 'failure',
      reason: text,
      metadata: { arguments: { ...digestArguments({ diff: text, [text]: 1 }) }, note: text, [text]: 'value under a secret-shaped key', nested: { list: [text] } },
    }),
  );
}

describe.skipIf(skip)('audit masking before hashing, through the real collector', () => {
  let collector: TestCollector;
  let audit: Audit;
  let spoolDir: string;
  let events: AuditEvent[];
  let stored: string[];

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    collector = await startCollector({ config: 'test' });
    spoolDir = tempDir();
    audit = await createAudit({ spoolDir, service: 'audit-masking-test', endpoint: `${collector.otlpHttpUrl}/v1/logs` });
    events = [];
    for (const sample of SAMPLES) events.push(await record(audit, sample)); // never refused for content
    expect(await audit.flush(20_000)).toBe(true);
    stored = await waitUntil('every event in audit.jsonl', () => {
      const found = bodies(collector.read('audit'));
      return found.length >= SAMPLES.length && found;
    });
  });
  afterAll(async () => {
    await audit?.close();
    await collector?.stop();
    context.disable();
  });

  it('records one event per sample, with the secrets masked in the spool', () => {
    expect(events).toHaveLength(SAMPLES.length);
    expect(findLeaks(spoolText(spoolDir), SAMPLES)).toEqual([]);
    expect(events.every((event) => JSON.stringify(event).includes('[REDACTED]'))).toBe(true);
  });

  it('stores the events byte for byte as hashed: the collector audit output verifies with no edit', () => {
    expect([...stored].sort()).toEqual(spoolText(spoolDir).trim().split('\n').sort());
    const report = verifyEvents(stored.map((body) => JSON.parse(body)));
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.events).toBe(SAMPLES.length);
  });

  it('leaves none of the secrets in the collector output, for audit or app logs', () => {
    expect(findLeaks(JSON.stringify(collector.read('audit')), SAMPLES)).toEqual([]);
    // JSON escapes newlines (PEM keys): check the decoded bodies too.
    expect(findLeaks(stored.join('\n'), SAMPLES)).toEqual([]);
    expect(findLeaks(JSON.stringify(collector.read('logs')), SAMPLES)).toEqual([]);
  });
});
