// Points @lookout/logger at the log transport (log-transport.ts, run in a worker thread) and counts
// what the worker reports. Only the path and plain options cross over: the worker module and its
// imports (the masker, the Logs SDK, the OTLP exporter) load in the worker, not here.
import { fileURLToPath } from 'node:url';
import type { Resource } from '@opentelemetry/resources';
import { setLogExport, type LogExportReport } from '@lookout/logger/log-export';
import type { BootstrapConfig } from './config.ts';
import type { TelemetryHealth } from './health.ts';
import type { LogTransportOptions } from './log-transport.ts';

export const LOG_TRANSPORT_PATH = fileURLToPath(new URL('./log-transport.ts', import.meta.url));

export function registerLogExport(config: BootstrapConfig, resource: Resource, health: TelemetryHealth): void {
  const options: LogTransportOptions = {
    resource: resource.attributes as LogTransportOptions['resource'],
    config: { logsExporters: config.logsExporters, otlp: config.otlp, logBatch: config.logBatch, shutdownTimeoutMillis: config.shutdownTimeoutMillis },
  };
  setLogExport({
    target: LOG_TRANSPORT_PATH,
    options: options as unknown as Record<string, unknown>,
    onReport: (report: LogExportReport) => {
      if ('exported' in report) health.exportSucceeded('logs');
      else if (report.reason === 'export_failed') health.exportFailed('logs', report.dropped, new Error(report.error ?? 'log export failed'));
      else health.recordDrop('logs', 'queue_full', report.dropped);
    },
  });
}
