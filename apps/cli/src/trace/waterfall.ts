// A trace as a terminal waterfall: one line per span, indented under its parent, with a bar on the
// trace's timeline, its service, name, duration, status and a few attributes; each span's log
// lines (by span_id) right under it.
import type { JaegerSpan, JaegerTrace, LogRow } from './clients.ts';

/** The attributes worth a glance, in this order (semconv names as the services set them). */
const KEY_ATTRIBUTES = [
  'http.request.method', 'http.route', 'http.response.status_code', 'mcp.method.name', 'gen_ai.tool.name',
  'messaging.operation.name', 'messaging.destination.name', 'lookout.job.kind', 'db.operation.name', 'error.type', 'otel.status_description',
];
const BAR_WIDTH = 24;

interface Node {
  span: JaegerSpan;
  children: Node[];
}

const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;
export const isError = (span: JaegerSpan) => tag(span, 'error') === true || tag(span, 'error') === 'true' || tag(span, 'otel.status_code') === 'ERROR';
const ms = (micros: number) => `${(micros / 1000).toFixed(1)} ms`;

/** Spans as a forest: roots are spans whose parent is not in the trace (the remote caller's, or none). */
export function spanTree(trace: JaegerTrace): Node[] {
  const nodes = new Map(trace.spans.map((span) => [span.spanID, { span, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parentId = node.span.references.find((r) => r.refType === 'CHILD_OF')?.spanID ?? node.span.references[0]?.spanID;
    const parent = parentId ? nodes.get(parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const byStart = (a: Node, b: Node) => a.span.startTime - b.span.startTime;
  for (const node of nodes.values()) node.children.sort(byStart);
  return roots.sort(byStart);
}

function bar(span: JaegerSpan, start: number, total: number): string {
  const from = Math.min(BAR_WIDTH - 1, Math.floor(((span.startTime - start) / total) * BAR_WIDTH));
  const width = Math.max(1, Math.round((span.duration / total) * BAR_WIDTH));
  return `${' '.repeat(from)}${'█'.repeat(Math.min(width, BAR_WIDTH - from))}`.padEnd(BAR_WIDTH);
}

export function logLine(row: LogRow, indent: string): string {
  const time = (row._time ?? '').slice(11, 23);
  const severity = (row.severity_text ?? row.level ?? '').padEnd(5);
  return `${indent}│ ${time} ${severity} ${row._msg ?? ''}`;
}

/** The waterfall, with each span's log lines under it and lines of no span (or of spans not in the trace) at the end. */
export function renderWaterfall(trace: JaegerTrace, logs: readonly LogRow[] = []): string {
  const start = Math.min(...trace.spans.map((s) => s.startTime));
  const end = Math.max(...trace.spans.map((s) => s.startTime + s.duration));
  const total = Math.max(1, end - start);
  const services = new Set(trace.spans.map((s) => trace.processes[s.processID]?.serviceName));
  const bySpan = Map.groupBy(logs, (row) => row.span_id ?? '');
  const lines = [`trace ${trace.traceID}  ${new Date(start / 1000).toISOString()}  ${ms(total)}, ${trace.spans.length} span(s), ${services.size} service(s), ${trace.spans.filter(isError).length} error(s)`];
  const shown = new Set<string>();
  const walk = (node: Node, depth: number) => {
    const { span } = node;
    const indent = '  '.repeat(depth);
    const attributes = KEY_ATTRIBUTES.flatMap((key) => (tag(span, key) === undefined ? [] : [`${key}=${String(tag(span, key))}`]));
    const service = trace.processes[span.processID]?.serviceName ?? '?';
    lines.push(`${bar(span, start, total)} ${indent}${service}: ${span.operationName}  ${ms(span.duration)}  ${isError(span) ? 'ERROR' : 'ok'}${attributes.length ? `  ${attributes.join(' ')}` : ''}`);
    for (const row of bySpan.get(span.spanID) ?? []) lines.push(logLine(row, `${' '.repeat(BAR_WIDTH + 1)}${indent}  `));
    shown.add(span.spanID);
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of spanTree(trace)) walk(root, 0);
  const rest = logs.filter((row) => !shown.has(row.span_id ?? ''));
  if (rest.length > 0) {
    lines.push(`log lines of this trace outside its spans (${rest.length}):`);
    for (const row of rest) lines.push(logLine(row, '  '));
  }
  return `${lines.join('\n')}\n`;
}

/** One line per trace of a search: start, root span, duration, spans, errors. */
export function renderTraceList(traces: readonly JaegerTrace[]): string {
  if (traces.length === 0) return 'no traces found (only sampled traces are kept: 10 %, ADR 0004)\n';
  const rows = [...traces]
    .map((trace) => {
      const [root] = spanTree(trace);
      const rootSpan = root?.span ?? trace.spans[0]!;
      const service = trace.processes[rootSpan.processID]?.serviceName ?? '?';
      return { start: rootSpan.startTime, line: `${trace.traceID}  ${new Date(rootSpan.startTime / 1000).toISOString()}  ${ms(rootSpan.duration).padStart(10)}  ${String(trace.spans.length).padStart(4)} spans  ${String(trace.spans.filter(isError).length).padStart(3)} errors  ${service}: ${rootSpan.operationName}` };
    })
    .sort((a, b) => b.start - a.start);
  return `${rows.map((r) => r.line).join('\n')}\n`;
}
