// Shared by this package's tests: temp folders and a sender that can be told to fail.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditBatch, AuditSender } from './shipper.ts';

export const tempDir = (prefix = 'lookout-audit-') => mkdtempSync(join(tmpdir(), prefix));

export interface FakeSender {
  send: AuditSender;
  batches: AuditBatch[];
  /** While true, every send rejects (the collector is down). */
  down: boolean;
  attempts: number;
}

export function fakeSender(down = false): FakeSender {
  const fake: FakeSender = {
    batches: [],
    down,
    attempts: 0,
    send: async (batch) => {
      fake.attempts++;
      if (fake.down) throw new Error('collector unavailable');
      fake.batches.push(batch);
    },
  };
  return fake;
}

/** Every line of every segment of every stream under a spool folder, as text. */
export function spoolText(spoolDir: string): string {
  let text = '';
  for (const stream of readdirSync(spoolDir)) {
    for (const file of readdirSync(join(spoolDir, stream)).filter((name) => name.endsWith('.jsonl')).sort()) {
      text += readFileSync(join(spoolDir, stream, file), 'utf8');
    }
  }
  return text;
}

export const sample = (i = 0) => ({
  action: 'test.thing.do',
  actor: { type: 'operator', id: 'ann' },
  target: { type: 'thing', id: `t-${i}` },
  outcome: 'success' as const,
  metadata: { i },
});
