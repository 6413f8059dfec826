// Chain verification: a pure function over events however they were read (a spool, an export,
// VictoriaLogs). Each stream is checked on its own; duplicates (same event_id, same hash) are
// dropped first, because delivery is at least once.
import { canonicalJson, eventHash, GENESIS_HASH } from './canonical.ts';
import { auditEventSchema, type AuditEvent } from './schema.ts';

export type ProblemKind = 'gap' | 'edit' | 'reorder' | 'invalid';

export interface VerifyProblem {
  kind: ProblemKind;
  stream?: string;
  seq?: number;
  event_id?: string;
  message: string;
}

export interface StreamSummary {
  stream: string;
  first_seq: number;
  last_seq: number;
  events: number;
  duplicates: number;
}

export interface VerifyReport {
  ok: boolean;
  /** Distinct events checked. */
  events: number;
  duplicates: number;
  streams: StreamSummary[];
  problems: VerifyProblem[];
}

/**
 * Checks hash chains and reports:
 *  - edit: an event whose hash does not match its content, two different events under one event_id
 *    or one seq, a first event (seq 1) not chained to the genesis hash, or a link to no known event;
 *  - gap: seq numbers missing between the first and last event seen of a stream (a deleted event);
 *  - reorder: an event that comes after a later one of its stream in the input (storage order), or
 *    whose prev_hash links to another event of the stream than its predecessor;
 *  - invalid: an item that is not an audit event at all.
 * Limits (inherent to a hash chain without anchors): events missing before the first or after the
 * last one read cannot be told from a narrower read, and a chain rewritten whole from some event on
 * by someone who recomputes every hash is consistent again.
 */
export function verifyEvents(items: readonly unknown[]): VerifyReport {
  const problems: VerifyProblem[] = [];
  const byStream = new Map<string, AuditEvent[]>();
  items.forEach((item, index) => {
    const parsed = auditEventSchema.safeParse(item);
    if (!parsed.success) {
      problems.push({ kind: 'invalid', message: `item ${index + 1} is not an audit event (${parsed.error.issues[0]?.path.join('.') || 'shape'}: ${parsed.error.issues[0]?.message ?? 'invalid'})` });
      return;
    }
    // Keep the object as read (not zod's copy), so the hash covers exactly what was stored.
    const event = item as AuditEvent;
    const list = byStream.get(event.stream) ?? [];
    list.push(event);
    byStream.set(event.stream, list);
  });

  const streams: StreamSummary[] = [];
  let events = 0;
  let duplicates = 0;
  for (const [stream, list] of [...byStream].sort(([a], [b]) => a.localeCompare(b))) {
    const summary = verifyStream(stream, list, problems);
    streams.push(summary);
    events += summary.events;
    duplicates += summary.duplicates;
  }
  return { ok: problems.length === 0, events, duplicates, streams, problems };
}

function verifyStream(stream: string, input: AuditEvent[], problems: VerifyProblem[]): StreamSummary {
  const byId = new Map<string, AuditEvent>();
  const bySeq = new Map<number, AuditEvent>();
  const hashes = new Map<string, number>();
  let duplicates = 0;
  let highest = 0;
  for (const event of input) {
    const seen = byId.get(event.event_id);
    if (seen) {
      // A copy counts as harmless only when it is the same event byte for byte, not merely the same hash field.
      if (canonicalJson(seen) === canonicalJson(event)) duplicates++;
      else problems.push({ kind: 'edit', stream, seq: event.seq, event_id: event.event_id, message: `event ${event.event_id} appears in two different versions` });
      continue;
    }
    byId.set(event.event_id, event);
    if (bySeq.has(event.seq)) {
      problems.push({ kind: 'edit', stream, seq: event.seq, event_id: event.event_id, message: `seq ${event.seq} holds two different events` });
      continue;
    }
    bySeq.set(event.seq, event);
    if (event.seq < highest) {
      problems.push({ kind: 'reorder', stream, seq: event.seq, event_id: event.event_id, message: `seq ${event.seq} comes after seq ${highest}` });
    }
    highest = Math.max(highest, event.seq);
    if (eventHash(event as unknown as Record<string, unknown>) !== event.hash) {
      problems.push({ kind: 'edit', stream, seq: event.seq, event_id: event.event_id, message: `seq ${event.seq}: content does not match its hash` });
    }
    hashes.set(event.hash, event.seq);
  }

  const ordered = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const first = ordered[0] as AuditEvent;
  if (first.seq === 1 && first.prev_hash !== GENESIS_HASH) {
    problems.push({ kind: 'edit', stream, seq: 1, event_id: first.event_id, message: 'seq 1 is not chained to the genesis hash' });
  }
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1] as AuditEvent;
    const event = ordered[i] as AuditEvent;
    if (event.seq !== previous.seq + 1) {
      const missing = event.seq - previous.seq - 1;
      const range = missing === 1 ? `seq ${previous.seq + 1}` : `seq ${previous.seq + 1}..${event.seq - 1}`;
      problems.push({ kind: 'gap', stream, seq: previous.seq + 1, message: `${range} missing (${missing} event${missing === 1 ? '' : 's'})` });
      continue;
    }
    if (event.prev_hash !== previous.hash) {
      const linked = hashes.get(event.prev_hash);
      problems.push(
        linked === undefined
          ? { kind: 'edit', stream, seq: event.seq, event_id: event.event_id, message: `seq ${event.seq} does not link to seq ${previous.seq} (the chain was altered)` }
          : { kind: 'reorder', stream, seq: event.seq, event_id: event.event_id, message: `seq ${event.seq} links to seq ${linked}, not to seq ${previous.seq}` },
      );
    }
  }
  return { stream, first_seq: first.seq, last_seq: (ordered.at(-1) as AuditEvent).seq, events: ordered.length, duplicates };
}
