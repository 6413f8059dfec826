// Composes the SDK from its parts (not @opentelemetry/sdk-node, which eagerly
// loads gRPC and every detector): tracer, meter and logger providers, their
// processors/readers, W3C propagation and the instrumentations.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeLogExport } from '@lookout/logger/log-export';
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { BootstrapConfig, DiagLevelName } from './config.ts';
import { createMetricExporters, createSpanExporters } from './exporters.ts';
import { SECONDS_BUCKETS } from '@lookout/catalog';
import { TelemetryHealth } from './health.ts';
import { createInstrumentations, isProbeRequest } from './instrumentations.ts';
import { FETCH_CLIENT_SCOPE, instrumentFetch } from './fetch-client.ts';
import { HTTP_SERVER_SCOPE, instrumentHttpServers } from './http-server.ts';
import { clientAddressResolver } from './client-address.ts';
import { registerLogExport } from './log-export.ts';
import { startMetricPusher } from './metric-push.ts';
import { requireOtel } from './otel.ts';
import { buildResource } from './resource.ts';
import { createPropagator } from './propagation.ts';
import { createSampler } from './sampler.ts';
import { skipUnsampledChildren } from './unsampled-children.ts';
import { errorMessage, warn, writeDiagnostic } from './warn.ts';

// The catalog's boundaries (OTel HTTP semconv advice) for every histogram in seconds; the SDK's defaults suit milliseconds.
export { SECONDS_BUCKETS } from '@lookout/catalog';

export interface RunningSdk {
  metricsHandler(request: IncomingMessage, response: ServerResponse): void;
  /** Exports everything pending, bounded by the shutdown timeout. */
  forceFlush(): Promise<void>;
  /** Flushes, then stops every provider; bounded by the shutdown timeout. Idempotent. */
  shutdown(): Promise<void>;
}

type Api = typeof import('@opentelemetry/api');

function installDiagLogger(api: Api, level: DiagLevelName | undefined): void {
  if (level === undefined) return;
  const levels: Record<DiagLevelName, number> = {
    none: api.DiagLogLevel.NONE,
    error: api.DiagLogLevel.ERROR,
    warn: api.DiagLogLevel.WARN,
    info: api.DiagLogLevel.INFO,
    debug: api.DiagLogLevel.DEBUG,
    verbose: api.DiagLogLevel.VERBOSE,
    all: api.DiagLogLevel.ALL,
  };
  const line = (diagLevel: 'error' | 'warn' | 'info' | 'debug') => (message: string, ...args: unknown[]) =>
    writeDiagnostic(diagLevel, message, args.length > 0 ? { args: args.map((arg) => (arg instanceof Error ? arg.message : String(arg))) } : {});
  api.diag.setLogger(
    { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), verbose: line('debug') },
    { logLevel: levels[level], suppressOverrideMessage: true },
  );
}

function withTimeout(work: Promise<unknown>, timeoutMillis: number, what: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      warn(`${what} did not finish within ${timeoutMillis} ms; giving up`, { timeout_ms: timeoutMillis });
      resolve();
    }, timeoutMillis);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        warn(`${what} failed`, { error: errorMessage(error) });
        resolve();
      },
    );
  });
}

function startPrometheusServer(exporter: PrometheusExporter, config: BootstrapConfig): void {
  exporter.startServer().catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    warn(
      code === 'EADDRINUSE'
        ? 'Prometheus port already in use: metrics stay available through metricsHandler and OTLP'
        : 'Prometheus server could not start: metrics stay available through metricsHandler and OTLP',
      { host: config.prometheus.host, port: config.prometheus.port, error: errorMessage(error) },
    );
  });
}

export function startSdk(config: BootstrapConfig): RunningSdk {
  const api = requireOtel('@opentelemetry/api') as Api;
  const { AsyncLocalStorageContextManager } = requireOtel('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { BatchSpanProcessor, TracerProvider } = requireOtel('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { AggregationType, InstrumentType, MeterProvider } = requireOtel('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  const { PrometheusExporter } = requireOtel('@opentelemetry/exporter-prometheus') as typeof import('@opentelemetry/exporter-prometheus');
  const { registerInstrumentations } = requireOtel('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');

  installDiagLogger(api, config.logLevel);
  const health = new TelemetryHealth();
  const resource = buildResource(config);

  // Metrics first: the other providers report drops into it.
  const prometheus = new PrometheusExporter({
    preventServerStart: true,
    host: config.prometheus.host,
    port: config.prometheus.port,
  });
  const secondsHistograms: ViewOptions = {
    instrumentType: InstrumentType.HISTOGRAM,
    instrumentUnit: 's',
    aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...SECONDS_BUCKETS] } },
  };
  const meterProvider = new MeterProvider({ resource, readers: [prometheus], views: [secondsHistograms] });
  api.metrics.setGlobalMeterProvider(meterProvider);
  health.attach(meterProvider.getMeter('@lookout/otel-bootstrap'));
  // One reader for /metrics and the pushes: see metric-push.ts.
  const metricPusher = startMetricPusher({
    reader: prometheus,
    exporters: createMetricExporters(config, health),
    intervalMillis: config.metricExportIntervalMillis,
    timeoutMillis: config.metricExportTimeoutMillis,
  });

  const tracerProvider = new TracerProvider({
    resource,
    sampler: createSampler(config.sampler),
    spanProcessors: createSpanExporters(config, health).map(
      (exporter) => new BatchSpanProcessor({ exporter, ...config.spanBatch, selfObsMeterProvider: health.queueOverflowMeterProvider('traces') }),
    ),
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  api.propagation.setGlobalPropagator(createPropagator());
  // Instrumentations and apps get tracers that skip the SDK for children of unsampled spans.
  const tracing = skipUnsampledChildren(tracerProvider);
  api.trace.setGlobalTracerProvider(tracing);

  if (config.logsExporters.length > 0) registerLogExport(config, resource, health);

  registerInstrumentations({ instrumentations: createInstrumentations(config), tracerProvider: tracing, meterProvider });
  if (!config.disabledInstrumentations.includes('http')) {
    instrumentHttpServers({
      tracer: tracing.getTracer(HTTP_SERVER_SCOPE),
      meter: meterProvider.getMeter(HTTP_SERVER_SCOPE),
      clientAddressOf: clientAddressResolver(config.trustedProxies),
      ignore: isProbeRequest,
    });
  }
  if (!config.disabledInstrumentations.includes('undici')) {
    instrumentFetch({ tracer: tracing.getTracer(FETCH_CLIENT_SCOPE), meter: meterProvider.getMeter(FETCH_CLIENT_SCOPE) });
  }

  if (config.metricsExporters.includes('prometheus')) startPrometheusServer(prometheus, config);

  const flushAll = () =>
    Promise.allSettled([tracerProvider.forceFlush(), metricPusher.forceFlush()]).then(() => undefined);
  let shuttingDown: Promise<void> | undefined;
  return {
    metricsHandler: (request, response) => prometheus.getMetricsRequestHandler(request, response),
    forceFlush: () => withTimeout(flushAll(), config.shutdownTimeoutMillis, 'telemetry flush'),
    shutdown: () =>
      (shuttingDown ??= withTimeout(
        // Spans and logs first: their drops are still counted by the meter provider. Closing the log
        // export lets its worker mask, write and export every line it holds, then exit.
        Promise.allSettled([tracerProvider.shutdown(), closeLogExport()]).then(() => metricPusher.shutdown()).then(() => meterProvider.shutdown()),
        config.shutdownTimeoutMillis,
        'telemetry shutdown',
      )),
  };
}
