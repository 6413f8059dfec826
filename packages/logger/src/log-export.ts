// The handshake between @lookout/otel-bootstrap and the logger, without either loading the other:
// the bootstrap (loaded first, with --require) registers a pino transport that masks every line and
// writes it to stdout and to OTLP in a worker thread; the logger's root, created later, writes
// through it. Both ends meet on a global symbol, so two copies of this package agree.
// No imports: the bootstrap loads this module at start-up, before pino.

/** Why a line never reached its destinations; the names of lookout.telemetry.dropped's `reason`. */
export type LogDropReason = 'queue_full' | 'export_failed';

/** What the worker reports back (an event on the transport stream, see LOG_EXPORT_EVENT). */
export type LogExportReport = { dropped: number; reason: LogDropReason; error?: string } | { exported: true };

/** The event name the transport worker emits its reports under. */
export const LOG_EXPORT_EVENT = 'lookout:log-export';

export interface LogExport {
  /** Absolute path of the pino transport module (run in a worker by pino.transport). */
  target: string;
  /** Passed to the transport (structured-cloned into the worker). */
  options: Record<string, unknown>;
  /** Lines the worker could not keep up with, or could not export: counted, never written unmasked. */
  onReport(report: LogExportReport): void;
}

/** A stream the logger opened on the registered transport, closed by closeLogExport(). */
export interface ClosableStream {
  end(): void;
  once(event: 'close', listener: () => void): unknown;
  /** True once the worker has exited (ended, or died). */
  readonly closed: boolean;
}

interface LogExportState {
  export?: LogExport;
  streams: Set<ClosableStream>;
}

const KEY = Symbol.for('@lookout/logger/log-export');
const KEEP_ALIVE_MS = 60_000;
type GlobalWithState = typeof globalThis & { [KEY]?: LogExportState };

function state(): LogExportState {
  return ((globalThis as GlobalWithState)[KEY] ??= { streams: new Set() });
}

/** Called by the bootstrap: loggers created from now on (without an explicit destination) use it. */
export function setLogExport(logExport: LogExport | undefined): void {
  state().export = logExport;
}

export function getLogExport(): LogExport | undefined {
  return state().export;
}

/** Called by the logger for each transport stream it opens. */
export function trackLogStream(stream: ClosableStream): void {
  const { streams } = state();
  streams.add(stream);
  stream.once('close', () => streams.delete(stream));
}

/**
 * Ends every transport stream: the worker masks and writes what is buffered, exports its last batch
 * and exits. Resolves when all have closed (the caller bounds the wait). Idempotent.
 */
export function closeLogExport(): Promise<void> {
  const { streams } = state();
  const closing = [...streams].map((stream) => new Promise<void>((resolve) => {
    if (stream.closed) return resolve();
    stream.once('close', resolve);
    stream.end();
  }));
  streams.clear();
  // pino unrefs the worker once it is ready (even after a ref() here), and thread-stream waits for it
  // with Atomics.waitAsync, which holds nothing: without this timer a process with nothing else to do
  // would exit before the worker wrote its last lines. The worker bounds its own close.
  const keepAlive = setTimeout(() => undefined, KEEP_ALIVE_MS);
  return Promise.all(closing).then(() => clearTimeout(keepAlive));
}
