// Reads what the collector's file exporter writes in test mode: one OTLP/JSON export request per
// line (resourceSpans / resourceMetrics / resourceLogs), ids in hex, times as nanosecond strings.
// Flattened to one row per span, log record or metric, each with its resource attributes.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

type Json = Record<string, unknown>;
const arr = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export function anyValue(value: unknown): AttributeValue {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if ('stringValue' in v) return String(v.stringValue);
  if ('boolValue' in v) return Boolean(v.boolValue);
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('bytesValue' in v) return String(v.bytesValue);
  if ('arrayValue' in v) return (((v.arrayValue as { values?: unknown[] })?.values) ?? []).map(anyValue);
  if ('kvlistValue' in v) return keyValues((v.kvlistValue as { values?: unknown[] })?.values);
  return null;
}

export function keyValues(list: unknown): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const entry of list as { key: string; value?: unknown }[]) out[entry.key] = anyValue(entry.value);
  return out;
}

const obj = (value: unknown): Json => (value !== null && typeof value === 'object' ? (value as Json) : {});
/** Nanoseconds since the epoch as milliseconds; precise enough to compare with Date.now(). */
const nanosToMs = (value: unknown): number => (value === undefined || value === null || value === '' ? 0 : Number(BigInt(String(value)) / 1_000_000n));

export interface FileSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Attributes;
  resource: Attributes;
  scope: string;
  /** status.code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  startMs: number;
}

export interface FileLogRecord {
  body: AttributeValue;
  severityNumber: number;
  severityText: string;
  traceId: string;
  spanId: string;
  attributes: Attributes;
  resource: Attributes;
  scope: string;
  /** timeUnixNano, else observedTimeUnixNano, in ms. */
  timeMs: number;
}

export interface FileMetric {
  name: string;
  resource: Attributes;
  scope: string;
  /** Newest data point time in ms. */
  timeMs: number;
}

/** Parses JSON lines; a line cut short by a write in progress (or by SIGKILL) is skipped. */
export function parseJsonLines(text: string): Json[] {
  const out: Json[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as Json);
    } catch {
      // the last line may still be being written
    }
  }
  return out;
}

export function spansOf(requests: readonly Json[]): FileSpan[] {
  const out: FileSpan[] = [];
  for (const request of requests) {
    for (const rs of arr(request.resourceSpans)) {
      const resource = keyValues(obj(rs.resource).attributes);
      for (const ss of arr(rs.scopeSpans)) {
        for (const span of arr(ss.spans)) {
          out.push({
            name: String(span.name ?? ''),
            kind: Number(span.kind ?? 0),
            traceId: String(span.traceId ?? ''),
            spanId: String(span.spanId ?? ''),
            parentSpanId: String(span.parentSpanId ?? ''),
            attributes: keyValues(span.attributes),
            resource,
            scope: String(obj(ss.scope).name ?? ''),
            statusCode: Number(obj(span.status).code ?? 0),
            startMs: nanosToMs(span.startTimeUnixNano),
          });
        }
      }
    }
  }
  return out;
}

export function logRecordsOf(requests: readonly Json[]): FileLogRecord[] {
  const out: FileLogRecord[] = [];
  for (const request of requests) {
    for (const rl of arr(request.resourceLogs)) {
      const resource = keyValues(obj(rl.resource).attributes);
      for (const sl of arr(rl.scopeLogs)) {
        for (const record of arr(sl.logRecords)) {
          out.push({
            body: anyValue(record.body),
            severityNumber: Number(record.severityNumber ?? 0),
            severityText: String(record.severityText ?? ''),
            traceId: String(record.traceId ?? ''),
            spanId: String(record.spanId ?? ''),
            attributes: keyValues(record.attributes),
            resource,
            scope: String(obj(sl.scope).name ?? ''),
            timeMs: nanosToMs(record.timeUnixNano) || nanosToMs(record.observedTimeUnixNano),
          });
        }
      }
    }
  }
  return out;
}

const METRIC_TYPES = ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const;

export function metricsOf(requests: readonly Json[]): FileMetric[] {
  const out: FileMetric[] = [];
  for (const request of requests) {
    for (const rm of arr(request.resourceMetrics)) {
      const resource = keyValues(obj(rm.resource).attributes);
      for (const sm of arr(rm.scopeMetrics)) {
        for (const metric of arr(sm.metrics)) {
          const type = METRIC_TYPES.find((key) => key in metric);
          const points = type ? arr(obj(metric[type]).dataPoints) : [];
          out.push({
            name: String(metric.name ?? ''),
            resource,
            scope: String(obj(sm.scope).name ?? ''),
            timeMs: Math.max(0, ...points.map((p) => nanosToMs(p.timeUnixNano))),
          });
        }
      }
    }
  }
  return out;
}

/**
 * A JSON-lines file read incrementally: each read() parses only what was appended since the last
 * one (up to the last complete line), so polling a growing file stays cheap. A file that shrank
 * (truncated by a restart) is read again from the start.
 */
export class JsonLinesTail {
  readonly path: string;
  private offset = 0;
  private readonly parsed: Json[] = [];

  constructor(path: string) {
    this.path = path;
  }

  read(): readonly Json[] {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return this.parsed; // not written yet
    }
    if (size < this.offset) {
      this.offset = 0;
      this.parsed.length = 0;
    }
    if (size === this.offset) return this.parsed;
    const fd = openSync(this.path, 'r');
    try {
      const chunk = Buffer.alloc(size - this.offset);
      const read = readSync(fd, chunk, 0, chunk.length, this.offset);
      const end = chunk.subarray(0, read).lastIndexOf(0x0a);
      if (end < 0) return this.parsed;
      for (const line of parseJsonLines(chunk.subarray(0, end).toString('utf8'))) this.parsed.push(line);
      this.offset += end + 1;
    } finally {
      closeSync(fd);
    }
    return this.parsed;
  }
}

/**
 * The text as written plus every string inside its JSON lines, decoded: a secret escaped by a JSON
 * encoder ("\n" in a PEM key, "\u0026" for &) is found either way.
 */
export function searchableText(text: string): string {
  const strings: string[] = [text];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        strings.push(key);
        collect(inner);
      }
    }
  };
  for (const line of text.split('\n')) {
    const start = line.indexOf('{');
    if (start < 0) continue;
    try {
      collect(JSON.parse(line.slice(start)));
    } catch {
      // not JSON: the raw text above covers it
    }
  }
  return strings.join('\n');
}
