import { createRequire } from 'node:module';
import type { DestinationStream, LogFn, Logger, LoggerOptions } from 'pino';
import { contextualLogger } from './context.ts';
import { resolveLevel } from './level.ts';
import { getLogExport } from './log-export.ts';
import { maskSecrets, maskString } from './mask.ts';
import { exportTransport } from './transport.ts';

// CommonJS pino through require: one copy, the same one context.ts and transport.ts load.
const pino = createRequire(import.meta.url)('pino') as typeof import('pino').default;

export type { Logger };

export interface CreateLoggerOptions {
  /**
   * Where JSON lines go, masked on this thread. Default: the transport worker @lookout/otel-bootstrap
   * registered (it masks and writes every line to stdout and OTLP off this thread), else stdout.
   */
  destination?: DestinationStream;
  /** Minimum level. Default: LOOKOUT_LOG_LEVEL, else "info"; an unknown name logs one warning and uses "info". */
  level?: string;
  /** The `service` field on every line. Default: OTEL_SERVICE_NAME when set, else no field. */
  service?: string;
}

/**
 * A new root logger with Lookout's fields, context and masking. Without a destination, and with the
 * bootstrap's log export registered, it writes through the transport worker, which masks. Services use
 * getLogger(); this is for tests and benchmarks that need their own sink.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const { level, rejected } = resolveLevel(options.level ?? process.env.LOOKOUT_LOG_LEVEL);
  const service = options.service ?? (process.env.OTEL_SERVICE_NAME || undefined);
  const logExport = options.destination ? undefined : getLogExport();
  const logger = logExport
    ? pino(loggerOptions(level, service, contextOnly), exportTransport(logExport))
    : maskChildBindings(pino(loggerOptions(level, service, maskLogArguments), options.destination));
  if (rejected !== undefined) logger.warn({ requested_level: rejected }, `unknown log level, using ${level}`);
  return logger;
}

type LogMethodHook = (this: Logger, args: Parameters<LogFn>, method: LogFn) => void;

function loggerOptions(level: string, service: string | undefined, logMethod: LogMethodHook): LoggerOptions {
  return {
    level,
    // Epoch milliseconds (pino's default): cheapest to write, and the transport converts it exactly.
    timestamp: pino.stdTimeFunctions.epochTime,
    // No pid/hostname: the OTel resource carries them, and they would only bloat every line.
    base: service ? { service } : null,
    formatters: {
      level: (label) => ({ level: label }),
    },
    // The logMethod hook already turned Errors into masked plain objects, which pino's own err
    // serializer would mangle (type "Object"); an Error reaching this point is masked here.
    serializers: { err: (value: unknown) => (value instanceof Error ? maskSecrets(value) : value) },
    hooks: { logMethod },
  };
}

/**
 * Masks everything a log call passes before pino merges and formats it: the merge object (at any
 * depth), the message and printf-style arguments. Also supplies the message pino would take from an
 * Error (log.error(err)) so that one is masked too. Works on pino's own copy of the arguments.
 * Then writes through contextualLogger(this), whose bindings carry request_id, trace_id & co.
 */
function maskLogArguments(this: Logger, args: Parameters<LogFn>, method: LogFn): void {
  const values = args as unknown[];
  const first = values[0];
  let formatFrom = 1;
  if (typeof first === 'string') {
    values[0] = maskString(first);
  } else if (typeof first === 'object') {
    formatFrom = 2;
    if (first !== null) values[0] = maskMergeObject(first);
    if (typeof values[1] === 'string') values[1] = maskString(values[1]);
    else if (values[1] === undefined) values[1] = messageFromError(first);
  }
  for (let i = formatFrom; i < values.length; i++) values[i] = maskFormatArgument(values[i]);
  return method.apply(contextualLogger(this, true), args);
}

/**
 * The hook when the transport worker masks: only the request context on this thread. Errors and
 * request/response objects still go through maskLogArguments, which maps them to plain objects
 * (they are rare, and pino would otherwise serialize a whole IncomingMessage).
 */
function contextOnly(this: Logger, args: Parameters<LogFn>, method: LogFn): void {
  const first = (args as unknown[])[0];
  if (typeof first === 'object' && first !== null && needsMapping(first)) return maskLogArguments.call(this, args, method);
  return method.apply(contextualLogger(this, false), args);
}

function needsMapping(first: object): boolean {
  if (first instanceof Error) return true;
  const candidate = first as { err?: unknown; method?: unknown; headers?: unknown; setHeader?: unknown };
  return candidate.err instanceof Error || (candidate.method !== undefined && candidate.headers !== undefined) || typeof candidate.setHeader === 'function';
}

// pino takes the message from log.error(err) or log.error({ err }) when none is given; do it here, masked.
function messageFromError(first: object | null): string | undefined {
  const error = first instanceof Error ? first : (first as { msg?: unknown; err?: unknown } | null)?.msg === undefined ? (first as { err?: unknown } | null)?.err : undefined;
  return error instanceof Error ? maskString(error.message) : undefined;
}

function maskMergeObject(object: object): object {
  if (object instanceof Error) return { err: maskSecrets(object) };
  // pino logs a bare request or response object through its std serializers (headers included).
  const candidate = object as { method?: unknown; headers?: unknown; socket?: unknown; setHeader?: unknown };
  if (candidate.method && candidate.headers && candidate.socket) return maskSecrets(pino.stdSerializers.mapHttpRequest(object as never));
  if (typeof candidate.setHeader === 'function') return maskSecrets(pino.stdSerializers.mapHttpResponse(object as never));
  return maskSecrets(object);
}

/**
 * pino applies formatters.bindings to the root only, so child bindings are masked here: the root's
 * `child` is wrapped, and every descendant inherits the wrapper through its prototype.
 */
function maskChildBindings(logger: Logger): Logger {
  const child = logger.child;
  logger.child = function maskedChild(this: Logger, bindings, options) {
    return child.call(this, maskSecrets(bindings), options);
  } as Logger['child'];
  return logger;
}

function maskFormatArgument(value: unknown): unknown {
  return typeof value === 'string' ? maskString(value) : typeof value === 'object' ? maskSecrets(value) : value;
}

let root: Logger | undefined;
const named = new Map<string, Logger>();

/** The root logger, created on first use from the environment (LOOKOUT_LOG_LEVEL, OTEL_SERVICE_NAME). */
export function rootLogger(): Logger {
  return (root ??= createLogger());
}

/** The logger for one module or component: a child of the root with field `logger` = name. */
export function getLogger(name: string): Logger {
  let logger = named.get(name);
  if (!logger) {
    logger = rootLogger().child({ logger: name });
    named.set(name, logger);
  }
  return logger;
}
