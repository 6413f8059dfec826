// Where verify gets its events: a spool (a segment file, a stream folder or a whole spool folder),
// an exported JSON-lines file, or the audit tenant of VictoriaLogs. A line that is not JSON is
// passed on as its text, so verify reports it as invalid instead of it vanishing.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listSegments, segmentPath } from './spool-layout.ts';

function parseLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return line;
      }
    });
}

/** Events from a JSON-lines file, a stream folder (its segments in order) or a spool folder (every stream). */
export async function readEventsFile(path: string): Promise<unknown[]> {
  if (!(await stat(path)).isDirectory()) return parseLines(await readFile(path, 'utf8'));
  const segments = await listSegments(path);
  if (segments.length > 0) {
    const events: unknown[] = [];
    for (const index of segments) events.push(...parseLines(await readFile(segmentPath(path, index), 'utf8')));
    return events;
  }
  const events: unknown[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  for (const name of entries) events.push(...(await readEventsFile(join(path, name))));
  return events;
}

export interface VictoriaLogsSource {
  /** Base URL of the logs-audit instance, e.g. http://127.0.0.1:9429. */
  url: string;
  /** Tenant headers. Defaults: AccountID 2 (the audit tenant), ProjectID 0. */
  accountId?: string;
  projectId?: string;
  from: Date;
  to: Date;
  /** LogsQL filter. Default: the audit marker, "log.type":=audit. */
  query?: string;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
}

export const AUDIT_LOGSQL = '"log.type":=audit';

/**
 * Audit events stored in VictoriaLogs between from and to: the body (_msg) of each record is the
 * event's stored line, parsed back as it was written. VictoriaLogs returns rows in no particular
 * order (ingestion is concurrent, retries arrive late), so events come back sorted by stream and
 * seq: storage order means nothing here, the chain's links still prove the order.
 */
export async function readVictoriaLogs(source: VictoriaLogsSource): Promise<unknown[]> {
  const params = new URLSearchParams({ query: source.query ?? AUDIT_LOGSQL, start: source.from.toISOString(), end: source.to.toISOString() });
  const base = source.url.replace(/\/+$/, '');
  const response = await fetch(`${base}/select/logsql/query?${params}`, {
    headers: { AccountID: source.accountId ?? '2', ProjectID: source.projectId ?? '0' },
    signal: AbortSignal.timeout(source.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`VictoriaLogs at ${base} answered ${response.status}: ${text.slice(0, 300).trim()}`);
  const items = parseLines(text).map((row) => {
    const message = typeof row === 'object' && row !== null ? (row as { _msg?: unknown })._msg : undefined;
    if (typeof message !== 'string') return row;
    try {
      return JSON.parse(message) as unknown;
    } catch {
      return message;
    }
  });
  return items.sort(byStreamAndSeq);
}

function byStreamAndSeq(a: unknown, b: unknown): number {
  const key = (item: unknown) => {
    const event = (typeof item === 'object' && item !== null ? item : {}) as { stream?: unknown; seq?: unknown };
    return { stream: typeof event.stream === 'string' ? event.stream : '', seq: typeof event.seq === 'number' ? event.seq : 0 };
  };
  const x = key(a);
  const y = key(b);
  return x.stream.localeCompare(y.stream) || x.seq - y.seq;
}
