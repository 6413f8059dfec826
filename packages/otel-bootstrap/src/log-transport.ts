// The pino transport that runs in a worker thread (pino.transport, via @lookout/logger): every line
// the main thread serialized is masked here, then written to stdout and emitted to this worker's own
// Logs SDK, which batches and exports it over OTLP. The main thread only copies lines into the
// transport's ring buffer: JSON parsing, masking and building log records happen off it.
//
// Memory is bounded on both sides: the ring buffer (main thread drops when full), the stdout buffer
// (SonicBoom maxLength), and the batch processor's queue (OTEL_BLRP_MAX_QUEUE_SIZE). Every drop is
// reported to the main thread, which counts it in lookout.telemetry.dropped{signal="logs"}.
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type { Context, LogRecord } from '@opentelemetry/api';
import { LOG_EXPORT_EVENT, type LogExportReport } from '@lookout/logger/log-export';
import { maskLine } from '@lookout/logger/mask-line';
import type { BootstrapConfig, Signal } from './config.ts';
import { createLogExporters } from './exporters.ts';
import { TelemetryHealth, type DropReason } from './health.ts';
import { requireOtel } from './otel.ts';
import { errorMessage } from './warn.ts';

export interface LogTransportOptions {
  /** The main thread's resource attributes (same service.instance.id). */
  resource: Record<string, string | number | boolean>;
  config: Pick<BootstrapConfig, 'logsExporters' | 'otlp' | 'logBatch' | 'shutdownTimeoutMillis'>;
}

/** Above this many bytes waiting for stdout, lines are dropped (and reported) rather than held. */
export const STDOUT_MAX_BUFFER_BYTES = 16 * 1024 * 1024;

const require = createRequire(import.meta.url);

function post(report: LogExportReport): void {
  // thread-stream re-emits { code: 'EVENT' } messages on the main thread's stream.
  parentPort?.postMessage({ code: 'EVENT', name: LOG_EXPORT_EVENT, args: report });
}

/** TelemetryHealth whose findings go to the main thread, where the dropped counter lives. */
class ReportingHealth extends TelemetryHealth {
  override recordDrop(_signal: Signal, reason: DropReason, count: number): void {
    if (count > 0) post({ dropped: count, reason });
  }
  override exportFailed(_signal: Signal, count: number, error: unknown): void {
    post({ dropped: count, reason: 'export_failed', error: errorMessage(error) });
  }
  override exportSucceeded(): void {
    post({ exported: true });
  }
}

const SEVERITY: Record<string, number> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };
const HEX_ID = /^[0-9a-f]+$/;

/** A masked line's fields as an OTel log record: what instrumentation-pino's log sending produced. */
export function toLogRecord(fields: Record<string, unknown>, rootContext: Context): LogRecord {
  const { time, msg, level, err, trace_id: traceId, span_id: spanId, trace_flags: traceFlags, ...attributes } = fields;
  const label = typeof level === 'string' ? level : undefined;
  const record: LogRecord = {
    timestamp: typeof time === 'number' ? time : Date.now(),
    severityNumber: label === undefined ? undefined : SEVERITY[label],
    severityText: label,
    body: msg as LogRecord['body'],
    attributes: attributes as LogRecord['attributes'],
  };
  if (err !== undefined) record.exception = normalizeException(err);
  if (typeof traceId === 'string' && typeof spanId === 'string' && traceId.length === 32 && spanId.length === 16 && HEX_ID.test(traceId) && HEX_ID.test(spanId)) {
    const { trace } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
    const flags = typeof traceFlags === 'string' ? Number.parseInt(traceFlags, 16) || 0 : 0;
    record.context = trace.setSpanContext(rootContext, { traceId, spanId, traceFlags: flags, isRemote: false });
  }
  return record;
}

function normalizeException(err: unknown): unknown {
  if (err === null || typeof err !== 'object' || Array.isArray(err)) return err;
  const error = err as Record<string, unknown>;
  return typeof error.type === 'string' && typeof error.name !== 'string' ? { ...error, name: error.type } : error;
}

function boundedBy(work: Promise<unknown>, timeoutMillis: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMillis);
    void work.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export default function logTransport(options: LogTransportOptions) {
  const build = require('pino-abstract-transport') as typeof import('pino-abstract-transport');
  const { SonicBoom } = require('sonic-boom') as typeof import('sonic-boom');
  const { ROOT_CONTEXT } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { BatchLogRecordProcessor, LoggerProvider } = requireOtel('@opentelemetry/sdk-logs') as typeof import('@opentelemetry/sdk-logs');
  const { resourceFromAttributes } = requireOtel('@opentelemetry/resources') as typeof import('@opentelemetry/resources');

  const health = new ReportingHealth();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(options.resource),
    processors: createLogExporters(options.config, health).map(
      (exporter) => new BatchLogRecordProcessor({ exporter, ...options.config.logBatch, selfObsMeterProvider: health.queueOverflowMeterProvider('logs') }),
    ),
  });
  const otelLogger = provider.getLogger('@lookout/logger');
  const stdout = new SonicBoom({ fd: 1, sync: false, maxLength: STDOUT_MAX_BUFFER_BYTES });
  stdout.on('drop', () => post({ dropped: 1, reason: 'queue_full' }));

  return build(
    (source) => {
      source.on('data', (line: string) => {
        const { text, record } = maskLine(line);
        stdout.write(`${text}\n`);
        if (record) otelLogger.emit(toLogRecord(record, ROOT_CONTEXT));
      });
    },
    {
      parse: 'lines',
      // Runs when the main thread ends the stream (bootstrap shutdown, or pino's exit handler).
      // The main thread waits for this synchronously (thread-stream's end()), so it is bounded by
      // LOOKOUT_SHUTDOWN_TIMEOUT_MS: a collector that does not answer must not hold the exit.
      async close() {
        await boundedBy(provider.shutdown(), options.config.shutdownTimeoutMillis);
        // end() waits for the write in flight and the buffer; fd 1 itself stays open.
        await new Promise<void>((resolve) => {
          stdout.once('close', resolve);
          stdout.end();
        });
      },
    },
  );
}
