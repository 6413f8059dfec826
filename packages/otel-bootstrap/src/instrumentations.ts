// The only instrumentations we ship. fs, dns and net stay off: they are noisy
// and slow every request for little insight.
import type { IncomingMessage, RequestOptions } from 'node:http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { INSTRUMENTATION_NAMES, type BootstrapConfig, type InstrumentationName } from './config.ts';
import { requireOtel } from './otel.ts';

/** Module names whose ESM imports the import-in-the-middle loader must wrap. */
export const HOOKED_MODULES = ['http', 'https', 'ioredis'] as const;

function hostPort(hostname: string, port: string | number | null | undefined, protocol: string | null | undefined): string {
  const defaultPort = protocol === 'https:' ? '443' : '80';
  return `${hostname.replace(/^\[|\]$/g, '').toLowerCase()}:${port === undefined || port === null || port === '' ? defaultPort : String(port)}`;
}

/**
 * True for the exporters' own requests to the collector: telemetry about
 * sending telemetry would be noise (and a feedback loop during outages).
 */
export function isTelemetryRequest(config: BootstrapConfig): (options: RequestOptions) => boolean {
  const { context } = requireOtel('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { isTracingSuppressed } = requireOtel('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const endpoints = new Set(
    Object.values(config.otlp).map((signal) => {
      const url = new URL(signal.url);
      return hostPort(url.hostname, url.port, url.protocol);
    }),
  );
  return (options) => {
    if (isTracingSuppressed(context.active())) return true;
    const host = options.hostname ?? options.host?.replace(/:\d+$/, '');
    return host ? endpoints.has(hostPort(host, options.port, options.protocol)) : false;
  };
}

/** Paths that only probes and scrapers call (exact, query string ignored). */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/health', '/health/ready', '/metrics']);

export function isProbeRequest(request: IncomingMessage): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const url = request.url ?? '';
  const query = url.indexOf('?');
  return PROBE_PATHS.has(query === -1 ? url : url.slice(0, query));
}

/** The names whose signals come only from this package's own code (fetch-client.ts), not a contrib instrumentation. */
type OwnCode = 'undici';

/** The contrib instrumentations, minus those OTEL_NODE_DISABLED_INSTRUMENTATIONS names. */
export function createInstrumentations(config: BootstrapConfig): Instrumentation[] {
  const all = allInstrumentations(config);
  return INSTRUMENTATION_NAMES.filter((name): name is Exclude<InstrumentationName, OwnCode> => name in all && !config.disabledInstrumentations.includes(name)).map((name) => all[name]());
}

function allInstrumentations(config: BootstrapConfig): Record<Exclude<InstrumentationName, OwnCode>, () => Instrumentation> {
  const load = <T>(name: string) => requireOtel(`@opentelemetry/instrumentation-${name}`) as T;
  return {
    // Outgoing node:http calls only: incoming requests are http-server.ts's (fewer hooks, ADR 0006).
    // An outgoing call outside any trace (a startup check, a poll) makes no root span.
    http: () =>
      new (load<typeof import('@opentelemetry/instrumentation-http')>('http').HttpInstrumentation)({
        disableIncomingRequestInstrumentation: true,
        ignoreOutgoingRequestHook: isTelemetryRequest(config),
        requireParentforOutgoingSpans: true,
      }),
    // Command name only: the default keeps the arguments, and BullMQ's job-adding EVALSHA
    // carries the whole job payload (a diff, with whatever secrets it holds) in them.
    ioredis: () =>
      onlyUnderRecordingSpans(
        new (load<typeof import('@opentelemetry/instrumentation-ioredis')>('ioredis').IORedisInstrumentation)({
          requireParentSpan: true,
          dbStatementSerializer: (commandName) => commandName,
        }),
      ),
    // Event-loop delay and utilization, heap per space, GC pauses, active handles: observed at
    // collection time, except GC (a PerformanceObserver) and the delay histogram, a libuv timer that
    // samples every monitoringPrecision ms. 50 instead of the default 10: an idle service spent 0.5 %
    // of a core on 100 wake-ups a second; 20 samples a second still give a p99 per export interval.
    'runtime-node': () =>
      new (load<typeof import('@opentelemetry/instrumentation-runtime-node')>('runtime-node').RuntimeNodeInstrumentation)({ monitoringPrecision: 50 }),
  };
}

type SendCommand = (this: unknown, ...args: unknown[]) => unknown;
interface TracesSendCommand {
  _traceSendCommand(original: SendCommand, moduleVersion?: string): SendCommand;
}

/**
 * instrumentation-ioredis, minus its work for commands under a span that records nothing (nine requests
 * in ten with the default sampler). Redis carries no trace context, so such a command has nothing to
 * propagate, and its span would be dropped anyway; the instrumentation would still build attributes and
 * wrap the command's promise for it (about 2.5 % of MCP throughput, bench/README.md). Under a recording
 * span the command is traced as before. Hooks the instrumentation's _traceSendCommand, which
 * ioredis-spans.integration.test.ts checks against the real instrumentation and Redis.
 */
export function onlyUnderRecordingSpans<T extends Instrumentation>(instrumentation: T): T {
  const { context, trace } = requireOtel('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const tracing = instrumentation as unknown as TracesSendCommand;
  const traceSendCommand = tracing._traceSendCommand.bind(instrumentation);
  tracing._traceSendCommand = (original, moduleVersion) => {
    const traced = traceSendCommand(original, moduleVersion);
    return function (this: unknown, ...args: unknown[]) {
      return trace.getSpan(context.active())?.isRecording() ? traced.apply(this, args) : original.apply(this, args);
    };
  };
  return instrumentation;
}
