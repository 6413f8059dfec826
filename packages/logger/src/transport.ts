// The root logger's destination when the bootstrap registered a log export: a pino transport (worker
// thread) that masks each line and writes it to stdout and OTLP. This side only appends serialized,
// not yet masked lines to a string and hands that to the worker's ring buffer (thread-stream, a
// SharedArrayBuffer) once per event-loop turn or every BATCH_CHARS: one copy per batch, not per line.
//
// Bounded: when the ring buffer (4 MiB) is full the worker is behind, and lines are dropped (and
// reported as queue_full) until it drains, instead of queueing without limit on this thread. A
// dropped line is written nowhere. If the worker dies, lines are masked here and written to stdout
// (slow, but never unmasked), and the loss of the OTLP copy is reported.
import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';
import { LOG_EXPORT_EVENT, trackLogStream, type LogExport, type LogExportReport } from './log-export.ts';
import { maskLine } from './mask-line.ts';

const pino = createRequire(import.meta.url)('pino') as typeof import('pino').default;

/** A batch goes to the worker when it reaches this many UTF-16 units (or at the end of the turn). */
export const BATCH_CHARS = 64 * 1024;

type ThreadStream = ReturnType<typeof pino.transport> & {
  write(chunk: string): boolean;
  flush(callback: (error?: Error) => void): void;
  readonly closed: boolean;
  on(event: string, listener: (...args: never[]) => void): ThreadStream;
};

export type ExportDestination = DestinationStream & { flush(callback: (error?: Error) => void): void };

export function exportTransport(logExport: LogExport): ExportDestination {
  const report = (value: LogExportReport) => {
    try {
      logExport.onReport(value);
    } catch {
      // Reporting must never break logging.
    }
  };
  let pending = '';
  let scheduled = false;
  let full = false;
  let droppedWhileFull = 0;
  let broken = false;

  // First of all exit listeners (pino's own ends the stream on exit): a log call followed by
  // process.exit() in the same turn still reaches the worker.
  const flushPending = () => {
    scheduled = false;
    if (pending === '') return;
    const batch = pending;
    pending = '';
    if (broken) writeMaskedHere(batch);
    else if (!stream.write(batch)) full = true;
  };
  process.prependListener('exit', flushPending);

  const stream = pino.transport({
    target: logExport.target,
    options: logExport.options,
    // No --require/--import of the bootstrap in the worker: it would start a second SDK there.
    worker: { execArgv: [] },
  } as never) as ThreadStream;
  // Closing (bootstrap shutdown) hands over what this side still holds before ending the stream.
  trackLogStream({
    end: () => {
      flushPending();
      stream.end();
    },
    once: (event, listener) => stream.once(event, listener),
    get closed() {
      return stream.closed;
    },
  });
  stream.on(LOG_EXPORT_EVENT, (value: LogExportReport) => report(value));

  const reportDropped = () => {
    if (droppedWhileFull > 0) report({ dropped: droppedWhileFull, reason: 'queue_full' });
    droppedWhileFull = 0;
  };
  stream.on('drain', () => {
    full = false;
    reportDropped();
  });
  stream.on('close', () => {
    process.removeListener('exit', flushPending);
    reportDropped();
  });
  stream.on('error', (error: Error) => {
    if (broken) return;
    broken = true;
    process.stderr.write(`${JSON.stringify({ level: 'error', component: '@lookout/logger', msg: 'log transport worker failed: lines are masked on the main thread and written to stdout; the OTLP log export is off', error: error.message })}\n`);
  });

  function writeMaskedHere(batch: string): void {
    const lines = batch.split('\n').filter((line) => line !== '');
    process.stdout.write(lines.map((line) => `${maskLine(line).text}\n`).join(''));
    report({ dropped: lines.length, reason: 'export_failed', error: 'log transport worker failed' });
  }

  return {
    write(line: string) {
      if (full && !broken) {
        droppedWhileFull++;
        return true;
      }
      pending += line;
      if (pending.length >= BATCH_CHARS) flushPending();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flushPending);
      }
      return true;
    },
    flush(callback) {
      flushPending();
      if (broken) callback();
      else stream.flush(callback);
    },
  } as ExportDestination;
}
