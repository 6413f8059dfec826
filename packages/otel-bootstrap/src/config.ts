// Environment -> typed configuration. Pure: no I/O, no globals, so every bad
// value can be unit-tested. A bad value never throws: it yields a warning and
// the documented default.
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { DEFAULT_OTLP_ENDPOINT, otlpSignalUrl } from './otlp-endpoint.ts';
import type { SafeParseReturnType } from 'zod/v3';

// zod/v3 (shipped inside zod 4) loads in a quarter of the time and memory of
// the v4 API, and this module runs on every service start.
const { z } = createRequire(import.meta.url)('zod/v3') as typeof import('zod/v3');
type Schema<T> = { safeParse(value: unknown): SafeParseReturnType<unknown, T> };

export type Signal = 'traces' | 'metrics' | 'logs';
export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';
export type DiagLevelName = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';
export type TracesExporterName = 'otlp' | 'console';
export type MetricsExporterName = 'otlp' | 'prometheus' | 'console';
export type LogsExporterName = 'otlp' | 'console';
/** The instrumentations we ship, named as OTEL_NODE_DISABLED_INSTRUMENTATIONS names them (package name without the prefix). */
// "http" covers incoming requests too (http-server.ts). There is no express instrumentation: the route
// comes from express's req.route, at no cost per layer. "undici" (fetch) is fetch-client.ts.
export const INSTRUMENTATION_NAMES = ['http', 'undici', 'ioredis', 'runtime-node'] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];

export interface OtlpSignalConfig {
  /** Full URL including the /v1/<signal> path. */
  url: string;
  protocol: OtlpProtocol;
  /** Values may be secrets: never log them. */
  headers: Record<string, string>;
  timeoutMillis: number;
}

export interface BatchConfig {
  scheduledDelayMillis: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
  exportTimeoutMillis: number;
}

export interface BootstrapConfig {
  disabled: boolean;
  /** undefined: the SDK's own diagnostics stay silent (ours still warn). */
  logLevel: DiagLevelName | undefined;
  serviceName: string;
  /** From OTEL_RESOURCE_ATTRIBUTES, already percent-decoded. */
  resourceAttributes: Record<string, string>;
  deploymentEnvironment: string;
  sampler: SamplerConfig;
  /**
   * Addresses (IPs or CIDR ranges) of the proxies whose X-Forwarded-For is believed for
   * client.address. Empty: client.address is always the socket peer.
   */
  trustedProxies: string[];
  tracesExporters: TracesExporterName[];
  metricsExporters: MetricsExporterName[];
  logsExporters: LogsExporterName[];
  /** From OTEL_NODE_DISABLED_INSTRUMENTATIONS; empty: all of ours are on. */
  disabledInstrumentations: InstrumentationName[];
  otlp: Record<Signal, OtlpSignalConfig>;
  metricExportIntervalMillis: number;
  metricExportTimeoutMillis: number;
  spanBatch: BatchConfig;
  logBatch: BatchConfig;
  prometheus: { host: string; port: number };
  shutdownTimeoutMillis: number;
}

export interface SamplerConfig {
  name: SamplerName;
  ratio: number;
  /**
   * false: a remote parent's sampled flag is ignored and the root sampler decides (by trace id, so
   * our services still agree); true: a remote parent's decision is followed.
   */
  trustInboundSampling: boolean;
}

export interface ConfigWarning {
  variable: string;
  /** Omitted for variables that may hold secrets. */
  value?: string;
  problem: string;
  using: string;
}

export interface ParsedConfig {
  config: BootstrapConfig;
  warnings: ConfigWarning[];
}

export type Env = Record<string, string | undefined>;

export const DEFAULTS = {
  endpoint: DEFAULT_OTLP_ENDPOINT,
  protocol: 'http/protobuf' as OtlpProtocol,
  sampler: 'parentbased_traceidratio' as SamplerName,
  samplerRatio: 0.1,
  otlpTimeoutMillis: 10_000,
  // Not the spec's 60 s: the collector forgets a series 60 s after its last push (metric_expiration,
  // ADR 0002), so a 60 s push would make every series blink. 15 s is four pushes per expiry.
  metricExportIntervalMillis: 15_000,
  metricExportTimeoutMillis: 30_000,
  spanBatch: { scheduledDelayMillis: 5000, maxQueueSize: 2048, maxExportBatchSize: 512, exportTimeoutMillis: 30_000 },
  logBatch: { scheduledDelayMillis: 1000, maxQueueSize: 2048, maxExportBatchSize: 512, exportTimeoutMillis: 30_000 },
  prometheusHost: 'localhost',
  prometheusPort: 9464,
  shutdownTimeoutMillis: 5000,
  trustInboundSampling: false,
  deploymentEnvironment: 'development',
  serviceName: 'unknown_service:node',
} as const;


const booleanSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false']))
  .transform((value) => value === 'true');
const nonNegativeInt = z.coerce.number().int().min(0).max(2_147_483_647);
const positiveInt = z.coerce.number().int().min(1).max(2_147_483_647);
const ratioSchema = z.coerce.number().min(0).max(1);
const portSchema = z.coerce.number().int().min(0).max(65_535);
const httpUrlSchema = z
  .string()
  .trim()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'must be an http:// or https:// URL');
const samplerSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z.enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ]),
  );
const logLevelSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all']));
const protocolSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['http/protobuf', 'http/json', 'grpc']));

class Reader {
  readonly warnings: ConfigWarning[] = [];
  private readonly env: Env;
  constructor(env: Env) {
    this.env = env;
  }

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  /** Parses `name` with `schema`; on failure records a warning and returns `fallback`. */
  read<T>(name: string, schema: Schema<T>, fallback: T, options: { secret?: boolean; using?: string } = {}): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    this.warn(name, value, result.error.issues[0]?.message ?? 'invalid value', options.using ?? String(fallback), options.secret);
    return fallback;
  }

  warn(variable: string, value: string | undefined, problem: string, using: string, secret = false): void {
    this.warnings.push({ variable, ...(secret || value === undefined ? {} : { value }), problem, using });
  }
}

/** "k=v,k2=v2" with percent-encoded values (W3C baggage style), used by resource attributes and headers. */
function parseKeyValueList(
  reader: Reader,
  name: string,
  options: { secret: boolean },
): Record<string, string> {
  const raw = reader.raw(name);
  const result: Record<string, string> = {};
  if (raw === undefined) return result;
  for (const entry of raw.split(',')) {
    if (entry.trim() === '') continue;
    const separator = entry.indexOf('=');
    const key = separator > 0 ? entry.slice(0, separator).trim() : '';
    if (key === '') {
      reader.warn(name, options.secret ? undefined : entry, 'entry is not key=value', 'entry ignored', options.secret);
      continue;
    }
    const encoded = entry.slice(separator + 1).trim();
    try {
      result[key] = decodeURIComponent(encoded);
    } catch {
      reader.warn(name, options.secret ? undefined : entry, `value of "${key}" is not valid percent-encoding`, 'entry ignored', options.secret);
    }
  }
  return result;
}

function parseExporterList<T extends string>(
  reader: Reader,
  name: string,
  allowed: readonly T[],
  fallback: T[],
): T[] {
  const raw = reader.raw(name);
  if (raw === undefined) return fallback;
  const entries = raw
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  if (entries.includes('none')) {
    if (entries.length > 1) reader.warn(name, raw, '"none" combined with other exporters', 'none');
    return [];
  }
  const known = entries.filter((entry): entry is T => (allowed as readonly string[]).includes(entry));
  const unknown = entries.filter((entry) => !(allowed as readonly string[]).includes(entry));
  if (unknown.length > 0) {
    const using = known.length > 0 ? known.join(',') : fallback.join(',');
    reader.warn(name, raw, `unsupported exporter(s) ${unknown.join(', ')}; supported: ${allowed.join(', ')}, none`, using);
  }
  return known.length > 0 ? [...new Set(known)] : fallback;
}

function signalUrl(reader: Reader, signal: Signal): string {
  const specificName = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`;
  // Both validated here (a bad value warns and falls back); the URL rule is otlp-endpoint.ts's.
  const generic = reader.read('OTEL_EXPORTER_OTLP_ENDPOINT', httpUrlSchema, DEFAULTS.endpoint);
  const specific = reader.read(specificName, httpUrlSchema, otlpSignalUrl(signal, { generic }));
  return otlpSignalUrl(signal, { specific, generic });
}

function signalProtocol(reader: Reader, signal: Signal): OtlpProtocol {
  const read = (name: string, fallback: OtlpProtocol): OtlpProtocol => {
    const value = reader.read(name, protocolSchema, fallback);
    if (value !== 'grpc') return value;
    reader.warn(name, reader.raw(name), 'grpc is not shipped by @lookout/otel-bootstrap (it would slow start-up)', 'http/protobuf');
    return 'http/protobuf';
  };
  const generic = read('OTEL_EXPORTER_OTLP_PROTOCOL', DEFAULTS.protocol);
  return read(`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`, generic);
}

function signalConfig(reader: Reader, signal: Signal): OtlpSignalConfig {
  const upper = signal.toUpperCase();
  const genericTimeout = reader.read('OTEL_EXPORTER_OTLP_TIMEOUT', positiveInt, DEFAULTS.otlpTimeoutMillis);
  return {
    url: signalUrl(reader, signal),
    protocol: signalProtocol(reader, signal),
    headers: {
      ...parseKeyValueList(reader, 'OTEL_EXPORTER_OTLP_HEADERS', { secret: true }),
      ...parseKeyValueList(reader, `OTEL_EXPORTER_OTLP_${upper}_HEADERS`, { secret: true }),
    },
    timeoutMillis: reader.read(`OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`, positiveInt, genericTimeout),
  };
}

function batchConfig(reader: Reader, prefix: 'OTEL_BSP' | 'OTEL_BLRP', defaults: BatchConfig): BatchConfig {
  const maxQueueSize = reader.read(`${prefix}_MAX_QUEUE_SIZE`, positiveInt, defaults.maxQueueSize);
  let maxExportBatchSize = reader.read(`${prefix}_MAX_EXPORT_BATCH_SIZE`, positiveInt, defaults.maxExportBatchSize);
  if (maxExportBatchSize > maxQueueSize) {
    // Only an explicit batch size is worth a warning; the default simply follows a small queue.
    if (reader.raw(`${prefix}_MAX_EXPORT_BATCH_SIZE`) !== undefined) reader.warn(`${prefix}_MAX_EXPORT_BATCH_SIZE`, String(maxExportBatchSize), `must not exceed ${prefix}_MAX_QUEUE_SIZE`, String(maxQueueSize));
    maxExportBatchSize = maxQueueSize;
  }
  return {
    scheduledDelayMillis: reader.read(`${prefix}_SCHEDULE_DELAY`, nonNegativeInt, defaults.scheduledDelayMillis),
    maxQueueSize,
    maxExportBatchSize,
    exportTimeoutMillis: reader.read(`${prefix}_EXPORT_TIMEOUT`, positiveInt, defaults.exportTimeoutMillis),
  };
}

function samplerConfig(reader: Reader): SamplerConfig {
  const name = reader.read('OTEL_TRACES_SAMPLER', samplerSchema, DEFAULTS.sampler);
  const usesRatio = name === 'traceidratio' || name === 'parentbased_traceidratio';
  const ratio = usesRatio ? reader.read('OTEL_TRACES_SAMPLER_ARG', ratioSchema, DEFAULTS.samplerRatio) : DEFAULTS.samplerRatio;
  const trustInboundSampling = reader.read('LOOKOUT_TRUST_INBOUND_SAMPLING', booleanSchema, DEFAULTS.trustInboundSampling);
  return { name, ratio, trustInboundSampling };
}

/** "10.0.0.0/8,::1": IPs or CIDR ranges; a bad entry is warned about and left out (trusting less). */
function trustedProxies(reader: Reader): string[] {
  const name = 'LOOKOUT_TRUSTED_PROXIES';
  const entries = (reader.raw(name) ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  return entries.filter((entry) => {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (family !== 0 && prefixOk && extra === undefined) return true;
    reader.warn(name, entry, 'not an IP address or CIDR range', 'entry ignored');
    return false;
  });
}

/** "runtime-node,express": names of ours to leave off; an unknown name is warned about and ignored. */
function disabledInstrumentations(reader: Reader): InstrumentationName[] {
  const name = 'OTEL_NODE_DISABLED_INSTRUMENTATIONS';
  const entries = (reader.raw(name) ?? '').split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '');
  return entries.filter((entry): entry is InstrumentationName => {
    if ((INSTRUMENTATION_NAMES as readonly string[]).includes(entry)) return true;
    reader.warn(name, entry, `not one of ours (${INSTRUMENTATION_NAMES.join(', ')})`, 'entry ignored');
    return false;
  });
}

export function parseConfig(env: Env): ParsedConfig {
  const reader = new Reader(env);
  const resourceAttributes = parseKeyValueList(reader, 'OTEL_RESOURCE_ATTRIBUTES', { secret: false });
  const serviceName =
    reader.raw('OTEL_SERVICE_NAME')?.trim() ?? resourceAttributes['service.name'] ?? DEFAULTS.serviceName;
  const deploymentEnvironment =
    resourceAttributes['deployment.environment.name'] ??
    reader.raw('NODE_ENV')?.trim() ??
    DEFAULTS.deploymentEnvironment;

  const config: BootstrapConfig = {
    disabled: reader.read('OTEL_SDK_DISABLED', booleanSchema, false),
    logLevel: reader.read<DiagLevelName | undefined>('OTEL_LOG_LEVEL', logLevelSchema, undefined, { using: 'SDK diagnostics off' }),
    serviceName,
    resourceAttributes,
    deploymentEnvironment,
    sampler: samplerConfig(reader),
    trustedProxies: trustedProxies(reader),
    tracesExporters: parseExporterList(reader, 'OTEL_TRACES_EXPORTER', ['otlp', 'console'] as const, ['otlp']),
    metricsExporters: parseExporterList(reader, 'OTEL_METRICS_EXPORTER', ['otlp', 'prometheus', 'console'] as const, ['otlp']),
    logsExporters: parseExporterList(reader, 'OTEL_LOGS_EXPORTER', ['otlp', 'console'] as const, ['otlp']),
    disabledInstrumentations: disabledInstrumentations(reader),
    otlp: {
      traces: signalConfig(reader, 'traces'),
      metrics: signalConfig(reader, 'metrics'),
      logs: signalConfig(reader, 'logs'),
    },
    metricExportIntervalMillis: reader.read('OTEL_METRIC_EXPORT_INTERVAL', positiveInt, DEFAULTS.metricExportIntervalMillis),
    metricExportTimeoutMillis: reader.read('OTEL_METRIC_EXPORT_TIMEOUT', positiveInt, DEFAULTS.metricExportTimeoutMillis),
    spanBatch: batchConfig(reader, 'OTEL_BSP', { ...DEFAULTS.spanBatch }),
    logBatch: batchConfig(reader, 'OTEL_BLRP', { ...DEFAULTS.logBatch }),
    prometheus: {
      host: reader.raw('OTEL_EXPORTER_PROMETHEUS_HOST')?.trim() ?? DEFAULTS.prometheusHost,
      port: reader.read('OTEL_EXPORTER_PROMETHEUS_PORT', portSchema, DEFAULTS.prometheusPort),
    },
    shutdownTimeoutMillis: reader.read('LOOKOUT_SHUTDOWN_TIMEOUT_MS', positiveInt, DEFAULTS.shutdownTimeoutMillis),
  };
  return { config, warnings: dedupeWarnings(reader.warnings) };
}

/** Generic variables are read once per signal; report each problem once. */
function dedupeWarnings(warnings: ConfigWarning[]): ConfigWarning[] {
  const seen = new Set<string>();
  return warnings.filter((warning) => {
    const key = `${warning.variable}\u0000${warning.value ?? ''}\u0000${warning.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
