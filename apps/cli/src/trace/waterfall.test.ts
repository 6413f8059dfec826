import { describe, expect, it } from 'vitest';
import type { JaegerSpan, JaegerTrace, LogRow } from './clients.ts';
import { renderTraceList, renderWaterfall, spanTree } from './waterfall.ts';

const T0 = Date.parse('2026-11-30T10:00:00Z') * 1000;
const span = (spanID: string, parent: string | undefined, name: string, processID: string, offsetMs: number, durationMs: number, tags: JaegerSpan['tags'] = []): JaegerSpan => ({
  traceID: 'a'.repeat(32),
  spanID,
  operationName: name,
  references: parent ? [{ refType: 'CHILD_OF', spanID: parent }] : [],
  startTime: T0 + offsetMs * 1000,
  duration: durationMs * 1000,
  tags,
  processID,
});
const trace: JaegerTrace = {
  traceID: 'a'.repeat(32),
  processes: { p1: { serviceName: 'mcp-server' }, p2: { serviceName: 'reviewer' } },
  spans: [
    span('03', '02', 'POST /review', 'p2', 10, 50, [{ key: 'http.response.status_code', value: 500 }, { key: 'otel.status_code', value: 'ERROR' }]),
    span('01', 'ffffffffffffffff', 'POST /mcp', 'p1', 0, 100, [{ key: 'http.request.method', value: 'POST' }, { key: 'http.route', value: '/mcp' }]),
    span('02', '01', 'tools/call review_diff', 'p1', 5, 80, [{ key: 'gen_ai.tool.name', value: 'review_diff' }]),
  ],
};
const logs: LogRow[] = [
  { _time: '2026-11-30T10:00:00.006Z', span_id: '02', severity_text: 'INFO', _msg: 'mcp request handled' },
  { _time: '2026-11-30T10:00:00.090Z', severity_text: 'WARN', _msg: 'no span here' },
];

describe('the trace waterfall', () => {
  it('nests spans under their parents; a span whose parent is remote is a root', () => {
    const [root] = spanTree(trace);
    expect(root?.span.spanID).toBe('01');
    expect(root?.children.map((c) => c.span.spanID)).toEqual(['02']);
    expect(root?.children[0]?.children.map((c) => c.span.spanID)).toEqual(['03']);
  });

  it('prints one line per span, indented by depth, with service, name, duration, status, attributes, then its log lines', () => {
    const lines = renderWaterfall(trace, logs).trimEnd().split('\n');
    expect(lines[0]).toBe(`trace ${'a'.repeat(32)}  2026-11-30T10:00:00.000Z  100.0 ms, 3 span(s), 2 service(s), 1 error(s)`);
    expect(lines[1]).toMatch(/^█{24} mcp-server: POST \/mcp {2}100\.0 ms {2}ok {2}http\.request\.method=POST http\.route=\/mcp$/);
    expect(lines[2]).toMatch(/^ █+ + {2}mcp-server: tools\/call review_diff {2}80\.0 ms {2}ok {2}gen_ai\.tool\.name=review_diff$/);
    expect(lines[3]).toMatch(/│ 10:00:00\.006 INFO {2}mcp request handled$/);
    expect(lines[4]).toMatch(/^ {2}█+ + {4}reviewer: POST \/review {2}50\.0 ms {2}ERROR {2}http\.response\.status_code=500$/);
    expect(lines[5]).toBe('log lines of this trace outside its spans (1):');
    expect(lines[6]).toBe('  │ 10:00:00.090 WARN  no span here');
  });

  it('lists traces newest first, with their root span and error count', () => {
    const older = { ...trace, traceID: 'b'.repeat(32), spans: trace.spans.map((s) => ({ ...s, startTime: s.startTime - 60_000_000 })) };
    const lines = renderTraceList([older, trace]).trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${'a'.repeat(32)}  2026-11-30T10:00:00.000Z +100.0 ms +3 spans +1 errors  mcp-server: POST /mcp$`));
    expect(lines[1]).toMatch(new RegExp(`^${'b'.repeat(32)}  2026-11-30T09:59:00.000Z`));
    expect(renderTraceList([])).toMatch(/no traces found/);
  });
});
