// Builds only the exporters the configuration asks for. OTLP exporter
// packages (and their serializers) are required on the first export, not at
// start-up: the first batch leaves seconds after the app is serving.
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { BootstrapConfig, OtlpSignalConfig } from './config.ts';
import type { TelemetryHealth } from './health.ts';
import { requireOtel } from './otel.ts';
import { maskingExporter } from './span-masking.ts';

type OtlpOptions = { url: string; headers: Record<string, string>; timeoutMillis: number };

function otlpOptions(signal: OtlpSignalConfig): OtlpOptions {
  return { url: signal.url, headers: { ...signal.headers }, timeoutMillis: signal.timeoutMillis };
}

interface LazyCapable<T> {
  export(items: T, resultCallback: (result: { code: number; error?: Error }) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** Defers load() to the first export; shutdown/flush before that have nothing to do. */
export function lazyExporter<T, E extends LazyCapable<T>>(load: () => E): LazyCapable<T> & { forceFlush(): Promise<void> } {
  let exporter: E | undefined;
  return {
    export(items, resultCallback) {
      try {
        exporter ??= load();
      } catch (error) {
        resultCallback({ code: 1, error: error instanceof Error ? error : new Error(String(error)) });
        return;
      }
      exporter.export(items, resultCallback);
    },
    shutdown: () => exporter?.shutdown() ?? Promise.resolve(),
    forceFlush: () => exporter?.forceFlush?.() ?? Promise.resolve(),
  };
}

const PACKAGES = {
  traces: { 'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto', 'http/json': '@opentelemetry/exporter-trace-otlp-http' },
  metrics: { 'http/protobuf': '@opentelemetry/exporter-metrics-otlp-proto', 'http/json': '@opentelemetry/exporter-metrics-otlp-http' },
  logs: { 'http/protobuf': '@opentelemetry/exporter-logs-otlp-proto', 'http/json': '@opentelemetry/exporter-logs-otlp-http' },
} as const;

export function createSpanExporters(config: BootstrapConfig, health: TelemetryHealth): SpanExporter[] {
  return config.tracesExporters.map((name) => {
    if (name === 'console') {
      const { ConsoleSpanExporter } = requireOtel('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
      return maskingExporter(new ConsoleSpanExporter());
    }
    const exporter = lazyExporter(() => {
      const { OTLPTraceExporter } = requireOtel(PACKAGES.traces[config.otlp.traces.protocol]) as typeof import('@opentelemetry/exporter-trace-otlp-proto');
      return new OTLPTraceExporter(otlpOptions(config.otlp.traces));
    }) as SpanExporter;
    return health.watchExporter('traces', maskingExporter(exporter), (spans: readonly unknown[]) => spans.length);
  });
}

export function createLogExporters(config: Pick<BootstrapConfig, 'logsExporters' | 'otlp'>, health: TelemetryHealth): LogRecordExporter[] {
  return config.logsExporters.map((name) => {
    if (name === 'console') {
      const { ConsoleLogRecordExporter } = requireOtel('@opentelemetry/sdk-logs') as typeof import('@opentelemetry/sdk-logs');
      return new ConsoleLogRecordExporter();
    }
    const exporter = lazyExporter(() => {
      const { OTLPLogExporter } = requireOtel(PACKAGES.logs[config.otlp.logs.protocol]) as typeof import('@opentelemetry/exporter-logs-otlp-proto');
      return new OTLPLogExporter(otlpOptions(config.otlp.logs));
    }) as LogRecordExporter;
    return health.watchExporter('logs', exporter, (records: readonly unknown[]) => records.length);
  });
}

export function countDataPoints(resourceMetrics: ResourceMetrics): number {
  let count = 0;
  for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) count += metric.dataPoints.length;
  return count;
}

/** Push exporters only: `prometheus` is a pull reader, built in sdk.ts. */
export function createMetricExporters(config: BootstrapConfig, health: TelemetryHealth): PushMetricExporter[] {
  const exporters: PushMetricExporter[] = [];
  for (const name of config.metricsExporters) {
    if (name === 'console') {
      const { ConsoleMetricExporter } = requireOtel('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
      exporters.push(new ConsoleMetricExporter());
    } else if (name === 'otlp') {
      // Lazy, so no selectAggregationTemporality: the reader's default, cumulative, applies.
      const exporter = lazyExporter(() => {
        const { OTLPMetricExporter } = requireOtel(PACKAGES.metrics[config.otlp.metrics.protocol]) as typeof import('@opentelemetry/exporter-metrics-otlp-proto');
        return new OTLPMetricExporter(otlpOptions(config.otlp.metrics));
      }) as PushMetricExporter;
      exporters.push(health.watchExporter('metrics', exporter, countDataPoints));
    }
  }
  return exporters;
}
