import { createRequire } from 'node:module';
import type { DestinationStream, LogFn, Logger, LoggerOptions } from 'pino';
import { contextualLogger } from './context.ts';
import { resolveLevel } from './level.ts';
import { maskSecrets, maskString } from './mask.ts';

// Loaded with require on purpose: @opentelemetry/instrumentation-pino patches pino through the
// require hook, which works whether the bootstrap was loaded with --require or --import.
const pino = createRequire(import.meta.url)('pino') as typeof import('pino').default;

export type { Logger };

export interface CreateLoggerOptions {
  /** Where JSON lines go. Default: stdout (pino's default destination). */
  destination?: DestinationStream;
  /** Minimum level. Default: LOOKOUT_LOG_LEVEL, else "info"; an unknown name logs one warning and uses "info". */
  level?: string;
  /** The `service` field on every line. Default: OTEL_SERVICE_NAME when set, else no field. */
  service?: string;
}

/**
 * A new root logger with Lookout's fields, context, masking and (when the bootstrap patched pino)
 * the OTel bridge. Services use getLogger(); this is for tests and benchmarks that need their own sink.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const { level, rejected } = resolveLevel(options.level ?? process.env.LOOKOUT_LOG_LEVEL);
  const service = options.service ?? (process.env.OTEL_SERVICE_NAME || undefined);
  const logger = maskChildBindings(pino(loggerOptions(level, service), options.destination));
  if (rejected !== undefined) logger.warn({ requested_level: rejected }, `unknown log level, using ${level}`);
  return logger;
}

function loggerOptions(level: string, service: string | undefined): LoggerOptions {
  return {
    level,
    // Epoch milliseconds (pino's default): cheapest to write, and instrumentation-pino converts it exactly.
    timestamp: pino.stdTimeFunctions.epochTime,
    // No pid/hostname: the OTel resource carries them, and they would only bloat every line.
    base: service ? { service } : null,
    formatters: {
      level: (label) => ({ level: label }),
    },
    // The logMethod hook already turned Errors into masked plain objects, which pino's own err
    // serializer would mangle (type "Object"); an Error reaching this point is masked here.
    serializers: { err: (value: unknown) => (value instanceof Error ? maskSecrets(value) : value) },
    hooks: { logMethod: maskLogArguments },
    // instrumentation-pino installs a mixin that returns {} when its correlation is off (ours writes
    // the ids): merge only when it has something, instead of copying every call's fields into it.
    mixinMergeStrategy: (callFields, mixinFields) => (hasKeys(mixinFields) ? Object.assign(mixinFields, callFields) : callFields),
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
  return method.apply(contextualLogger(this), args);
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

function hasKeys(object: object): boolean {
  for (const _key in object) return true;
  return false;
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
