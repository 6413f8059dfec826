import { describe, expect, it } from 'vitest';
import { createAudit } from './audit.ts';
import { eventHash } from './canonical.ts';
import { readEventsFile } from './readers.ts';
import type { AuditEvent } from './schema.ts';
import { sample, tempDir } from './fixtures.test-support.ts';
import { verifyEvents } from './verify.ts';

async function chain(count: number): Promise<AuditEvent[]> {
  const spoolDir = tempDir();
  const audit = await createAudit({ spoolDir, ship: false, service: 'test' });
  for (let i = 0; i < count; i++) await audit.record(sample(i));
  await audit.close();
  return (await readEventsFile(spoolDir)) as AuditEvent[];
}

const kinds = (events: unknown[]) => verifyEvents(events).problems.map((p) => `${p.kind}@${p.seq}`);
const clone = (events: AuditEvent[]) => structuredClone(events);

describe('verifyEvents', () => {
  it('passes an untouched chain and reports its stream', async () => {
    const events = await chain(5);
    const report = verifyEvents(events);
    expect(report).toMatchObject({ ok: true, events: 5, duplicates: 0, problems: [] });
    expect(report.streams).toEqual([{ stream: events[0]?.stream, first_seq: 1, last_seq: 5, events: 5, duplicates: 0 }]);
  });

  it('detects a deleted event as a gap', async () => {
    const events = await chain(5);
    events.splice(2, 1);
    expect(kinds(events)).toEqual(['gap@3']);
    expect(verifyEvents(events).problems[0]?.message).toMatch(/seq 3 missing/);
  });

  it('detects an edited event, even one keeping its old hash', async () => {
    const events = clone(await chain(5));
    (events[1] as AuditEvent).outcome = 'denied';
    expect(kinds(events)).toEqual(['edit@2']);
  });

  it('detects an edit whose hash was recomputed: the next event no longer links', async () => {
    const events = clone(await chain(5));
    const edited = events[1] as AuditEvent;
    edited.actor = { type: 'operator', id: 'mallory' };
    edited.hash = eventHash(edited as unknown as Record<string, unknown>);
    expect(kinds(events)).toEqual(['edit@3']);
  });

  it('detects a reordering of stored events', async () => {
    const events = await chain(5);
    const swapped = [events[0], events[3], events[2], events[1], events[4]];
    expect(kinds(swapped)).toEqual(['reorder@3', 'reorder@2']);
  });

  it('detects an event moved elsewhere in the chain and re-sequenced', async () => {
    const events = clone(await chain(5));
    // seq 4 re-numbered and re-hashed to sit after seq 1; seq 2 and 3 shifted out.
    const moved = { ...(events[3] as AuditEvent), seq: 2, prev_hash: (events[0] as AuditEvent).hash };
    moved.hash = eventHash(moved as unknown as Record<string, unknown>);
    const tampered = [events[0], moved, { ...(events[1] as AuditEvent), seq: 3 }, events[2], events[4]];
    const report = verifyEvents(tampered);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['edit']));
  });

  it('treats re-delivered copies as harmless and conflicting copies as edits', async () => {
    const events = await chain(3);
    const report = verifyEvents([...events, events[0], events[2]]);
    expect(report).toMatchObject({ ok: true, events: 3, duplicates: 2 });
    const conflicting = { ...(events[1] as AuditEvent), outcome: 'failure' };
    expect(kinds([...events, conflicting])).toEqual(['edit@2']);
  });

  it('checks the first event against the genesis hash and reports items that are not events', async () => {
    const events = clone(await chain(2));
    (events[0] as AuditEvent).prev_hash = 'f'.repeat(64);
    (events[0] as AuditEvent).hash = eventHash(events[0] as unknown as Record<string, unknown>);
    expect(kinds(events)).toEqual(['edit@1', 'edit@2']);
    expect(kinds(['not json', { seq: 1 }])).toEqual(['invalid@undefined', 'invalid@undefined']);
  });

  it('verifies streams independently', async () => {
    const [a, b] = await Promise.all([chain(3), chain(2)]);
    const report = verifyEvents([...(a as AuditEvent[]), ...(b as AuditEvent[])]);
    expect(report.ok).toBe(true);
    expect(report.streams).toHaveLength(2);
  });
});
