// The worker mode: with a log export registered (as @lookout/otel-bootstrap does), the root logger
// writes unmasked lines to a transport worker that masks them. What reaches the sink must be what
// the main-thread masking writes, line for line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, withLogContext, type Logger } from './index.ts';
import { closeLogExport, setLogExport, type LogExportReport } from './log-export.ts';
import { captureLines, findLeaks, SECRET_CORPUS } from './testing/index.ts';
import { FILE_TRANSPORT_PATH } from './testing/file-transport.ts';

let dir: string;
let file: string;
let reports: LogExportReport[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'logger-transport-'));
  file = join(dir, 'lines.jsonl');
  reports = [];
});
afterEach(async () => {
  await closeLogExport();
  setLogExport(undefined);
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function useFileTransport(extra: Record<string, unknown> = {}): void {
  setLogExport({ target: FILE_TRANSPORT_PATH, options: { file, ...extra }, onReport: (report) => reports.push(report) });
}

/** Every kind of call that carries a secret: message, printf argument, field, header, child binding, context, Error. */
function logEverything(log: Logger): void {
  for (const sample of SECRET_CORPUS) {
    log.info({ detail: sample.text, headers: { authorization: sample.secret } }, sample.text);
    log.warn('retrying %s', sample.text);
    log.child({ upstream: sample.text }).info('from a child');
    withLogContext({ requestId: 'req-1', userId: sample.text }, () => log.info({ n: 1 }, 'in context'));
    log.error(new Error(sample.text));
    log.error({ err: new Error(sample.text) }, 'with err');
  }
}

/** The line without what differs between two runs: the time, and the test's line numbers in stacks. */
const comparable = (line: Record<string, unknown>) => {
  const { time: _time, ...rest } = line;
  return JSON.parse(JSON.stringify(rest).replace(/transport\.test\.ts:\d+:\d+/g, 'transport.test.ts')) as unknown;
};

describe('worker mode (a log export registered)', () => {
  it('masks in the worker exactly as the main thread does: same lines, no secret', async () => {
    const capture = captureLines();
    logEverything(createLogger({ destination: capture.destination, service: 'svc' }));
    useFileTransport();
    logEverything(createLogger({ service: 'svc' }));
    await closeLogExport();

    const text = readFileSync(file, 'utf8');
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(capture.lines.length);
    expect(text).toContain('[REDACTED]');
    expect(findLeaks(text)).toEqual([]);
    expect(lines.map(comparable)).toEqual(capture.lines.map(comparable));
  });

  it('still writes the trace fields of the active span', async () => {
    useFileTransport();
    const log = createLogger();
    const span = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED });
    // No context manager in this file: bind the span through the logger's own context check.
    vi.spyOn(context, 'active').mockReturnValue(trace.setSpan(context.active(), span));
    log.info('traced');
    await closeLogExport();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', trace_flags: '01' });
  });

  it('when the worker dies, masks on the main thread, writes to stdout and reports the lost export', async () => {
    useFileTransport({ failAfter: 1 });
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    const log = createLogger();
    log.info('first');
    log.info('second, kills the worker');
    await vi.waitFor(() => expect(errors.join('')).toContain('log transport worker failed'), { timeout: 10_000 });
    // Once the worker is gone, every line goes to stdout, masked.
    for (const sample of SECRET_CORPUS) log.info({ headers: { authorization: sample.secret } }, sample.text);
    await new Promise((resolve) => log.flush(resolve));
    const stdout = written.filter((chunk) => chunk.startsWith('{"level"')).join('');
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(SECRET_CORPUS.length);
    expect(findLeaks(stdout)).toEqual([]);
    const lost = reports.map((report) => ('reason' in report && report.reason === 'export_failed' ? report.dropped : 0));
    expect(lost.reduce((sum, count) => sum + count, 0)).toBe(SECRET_CORPUS.length);
  }, 20_000);
});
