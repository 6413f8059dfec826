// OTLP (and console) metric pushes from the one reader that also serves /metrics.
// In sdk-metrics every MetricReader gets its own storage: with a Prometheus reader *and* a
// PeriodicExportingMetricReader, every measurement was hashed and aggregated twice on the request
// path. Here there is one reader (the Prometheus exporter, cumulative, default aggregation) and this
// pusher collects from it on an interval and hands the same cumulative ResourceMetrics to each push
// exporter. A collection costs the same as before; a measurement now costs half.
import type { CollectionResult, MetricReader, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { requireOtel } from './otel.ts';

export interface MetricPushOptions {
  /** The reader whose collect() both /metrics and the pushes use. */
  reader: Pick<MetricReader, 'collect'>;
  /** Each gets every collection; an empty list makes the pusher a no-op. */
  exporters: PushMetricExporter[];
  /** ms between pushes (OTEL_METRIC_EXPORT_INTERVAL). */
  intervalMillis: number;
  /** ms per collect and per export; capped at the interval (OTEL_METRIC_EXPORT_TIMEOUT). */
  timeoutMillis: number;
}

export interface MetricPusher {
  /** Collects and pushes now (waiting for a push already under way first). */
  forceFlush(): Promise<void>;
  /** Stops the interval, pushes one last time, shuts the exporters down. Idempotent. */
  shutdown(): Promise<void>;
}

type ExportResult = { code: number; error?: Error };

const diag = () => (requireOtel('@opentelemetry/api') as typeof import('@opentelemetry/api')).diag;

export function startMetricPusher(options: MetricPushOptions): MetricPusher {
  const { reader, exporters } = options;
  const timeoutMillis = Math.min(options.timeoutMillis, options.intervalMillis);
  let ongoing: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;

  const pushOnce = (): Promise<void> =>
    (ongoing ??= collectAndExport(reader, exporters, timeoutMillis)
      // A failed export is already counted and warned by TelemetryHealth; this is for OTEL_LOG_LEVEL=debug.
      .catch((error: unknown) => diag().debug('metric push failed', error))
      .finally(() => {
        ongoing = undefined;
      }));

  const timer = exporters.length > 0 ? setInterval(() => void pushOnce(), options.intervalMillis) : undefined;
  timer?.unref();

  const forceFlush = async () => {
    if (exporters.length === 0) return;
    if (ongoing) await ongoing;
    await pushOnce();
    await Promise.allSettled(exporters.map((exporter) => exporter.forceFlush()));
  };
  return {
    forceFlush,
    shutdown: () =>
      (stopped ??= (async () => {
        clearInterval(timer);
        await forceFlush();
        await Promise.allSettled(exporters.map((exporter) => exporter.shutdown()));
      })()),
  };
}

async function collectAndExport(reader: MetricPushOptions['reader'], exporters: PushMetricExporter[], timeoutMillis: number): Promise<void> {
  const { resourceMetrics, errors }: CollectionResult = await reader.collect({ timeoutMillis });
  if (errors.length > 0) diag().debug('metric collection errors', ...errors);
  if (resourceMetrics.scopeMetrics.length === 0) return;
  await Promise.all(exporters.map((exporter) => exportWithTimeout(exporter, resourceMetrics, timeoutMillis)));
}

/** Runs one export with tracing suppressed (no spans about exporting), settled by the timeout at the latest. */
function exportWithTimeout(exporter: PushMetricExporter, resourceMetrics: ResourceMetrics, timeoutMillis: number): Promise<ExportResult> {
  const { context } = requireOtel('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { suppressTracing } = requireOtel('@opentelemetry/core') as typeof import('@opentelemetry/core');
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ code: 1, error: new Error(`metric export timed out after ${timeoutMillis} ms`) }), timeoutMillis);
    timer.unref();
    context.with(suppressTracing(context.active()), () => {
      try {
        exporter.export(resourceMetrics, (result) => {
          clearTimeout(timer);
          resolve(result);
        });
      } catch (error) {
        clearTimeout(timer);
        resolve({ code: 1, error: error instanceof Error ? error : new Error(String(error)) });
      }
    });
  });
}
