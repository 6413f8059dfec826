// The root logger's destination when the bootstrap registered a log export: a pino transport (worker
// thread) that masks each line and writes it to stdout and OTLP. This side only copies serialized,
// not yet masked lines into the worker's ring buffer (thread-stream, a SharedArrayBuffer).
//
// Bounded: when the ring buffer (thread-stream's 4 MiB) is full the worker is behind, and lines are dropped (and reported as
// queue_full) until it drains, instead of queueing without limit on this thread. A dropped line is
// written nowhere. If the worker dies, lines are masked here and written to stdout (slow, but never
// unmasked), and the loss of the OTLP copy is reported.
import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';
import { LOG_EXPORT_EVENT, trackLogStream, type LogExport, type LogExportReport } from './log-export.ts';
import { maskLine } from './mask-line.ts';

const pino = createRequire(import.meta.url)('pino') as typeof import('pino').default;

type ThreadStream = ReturnType<typeof pino.transport> & {
  write(line: string): boolean;
  flush(callback: (error?: Error) => void): void;
  flushSync(): void;
  readonly closed: boolean;
  on(event: string, listener: (...args: never[]) => void): ThreadStream;
};



export function exportTransport(logExport: LogExport): DestinationStream & { flush(callback: (error?: Error) => void): void } {
  const stream = pino.transport({
    target: logExport.target,
    options: logExport.options,
    // No --require/--import of the bootstrap in the worker: it would start a second SDK there.
    worker: { execArgv: [] },
  } as never) as ThreadStream;
  trackLogStream(stream);
  const report = (value: LogExportReport) => {
    try {
      logExport.onReport(value);
    } catch {
      // Reporting must never break logging.
    }
  };
  stream.on(LOG_EXPORT_EVENT, (value: LogExportReport) => report(value));

  let full = false;
  let droppedWhileFull = 0;
  let broken = false;
  stream.on('drain', () => {
    full = false;
    if (droppedWhileFull > 0) report({ dropped: droppedWhileFull, reason: 'queue_full' });
    droppedWhileFull = 0;
  });
  stream.on('error', (error: Error) => {
    if (broken) return;
    broken = true;
    process.stderr.write(`${JSON.stringify({ level: 'error', component: '@lookout/logger', msg: 'log transport worker failed: lines are masked on the main thread and written to stdout; the OTLP log export is off', error: error.message })}\n`);
  });

  return {
    write(line: string) {
      if (broken) {
        process.stdout.write(`${maskLine(line).text}\n`);
        report({ dropped: 1, reason: 'export_failed', error: 'log transport worker failed' });
      } else if (full) {
        droppedWhileFull++;
      } else if (!stream.write(line)) {
        full = true;
      }
      return true;
    },
    flush: (callback) => (broken ? callback() : stream.flush(callback)),
  } as DestinationStream & { flush(callback: (error?: Error) => void): void };
}
