import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { context, propagation, trace, type Baggage, type Context, type SpanContext } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { maskSecrets, maskString } from './mask.ts';

const { chindingsSym } = (createRequire(import.meta.url)('pino') as typeof import('pino').default).symbols;

/** What withLogContext accepts and getLogContext returns. Extra keys are logged snake_cased. */
export interface LogContext {
  requestId?: string;
  userId?: string;
  [key: string]: unknown;
}

interface ContextStore {
  context: Readonly<LogContext>;
  /** The same context as log fields (request_id, user_id, job_id...), masked once per withLogContext. */
  fields: Readonly<Record<string, unknown>>;
  /** Per logger, its child bound to `fields`. */
  children: WeakMap<Logger, Logger>;
}

// Baggage entry names: the same words as the log fields, so a downstream service reads what it logs.
export const BAGGAGE_REQUEST_ID = 'request_id';
export const BAGGAGE_USER_ID = 'user_id';

const storage = new AsyncLocalStorage<ContextStore>();

/**
 * Runs `fn` with `logContext` merged over the outer one: every log line inside, across awaits, timers
 * and event emitters, carries it. requestId/userId also go into OTel baggage of the context `fn` runs
 * in, so outgoing calls propagate them (when @lookout/otel-bootstrap installed a context manager and
 * the W3C baggage propagator). Undefined values do not override the outer context.
 */
export function withLogContext<T>(logContext: LogContext, fn: () => T): T {
  const outer = storage.getStore()?.context;
  const merged: LogContext = { ...outer };
  for (const key of Object.keys(logContext)) {
    if (logContext[key] !== undefined) merged[key] = logContext[key];
  }
  const store: ContextStore = {
    context: Object.freeze(merged),
    fields: Object.freeze(maskSecrets(toFields(merged))),
    children: new WeakMap(),
  };
  return storage.run(store, () => context.with(withBaggage(merged), fn));
}

/** The context set by the enclosing withLogContext calls, else request_id/user_id from OTel baggage. */
export function getLogContext(): Readonly<LogContext> {
  return storage.getStore()?.context ?? logContextFromBaggage();
}

/**
 * requestId/userId from the baggage of the active OTel context: a service's request middleware uses
 * it to continue the caller's request id (the HTTP instrumentation has already extracted the baggage).
 */
export function logContextFromBaggage(): LogContext {
  return readBaggage(propagation.getBaggage(context.active()));
}

/**
 * The logger a line is written through: `logger` itself, or a cached descendant whose bindings carry
 * the request context (ALS, else OTel baggage) and the active span's trace_id, span_id and
 * trace_flags (sampled or not). pino serializes bindings once, so these fields cost a line almost
 * nothing, where a per-line mixin would cost about as much as the rest of the line.
 */
export function contextualLogger(logger: Logger): Logger {
  const active = context.active();
  const store = storage.getStore();
  // OTel contexts and stores are immutable, so the same three inputs always give the same logger.
  if (logger === lastLogger && active === lastActive && store === lastStore && lastResult) return lastResult;
  const result = bindFields(logger, active, store);
  lastLogger = logger;
  lastActive = active;
  lastStore = store;
  lastResult = result;
  return result;
}

// A one-entry memo of contextualLogger: consecutive lines mostly come from one logger in one context.
let lastLogger: Logger | undefined;
let lastActive: Context | undefined;
let lastStore: ContextStore | undefined;
let lastResult: Logger | undefined;

function bindFields(logger: Logger, active: Context, store: ContextStore | undefined): Logger {
  let base = logger;
  if (store) {
    base = store.children.get(logger) ?? bindContext(store, logger);
  } else {
    const baggage = propagation.getBaggage(active);
    if (baggage) base = bindBaggage(logger, baggage);
  }
  const spanContext = trace.getSpan(active)?.spanContext();
  return spanContext && isValidSpanContext(spanContext) ? bindTrace(base, spanContext) : base;
}

function bindContext(store: ContextStore, logger: Logger): Logger {
  const child = logger.child(store.fields);
  store.children.set(logger, child);
  return child;
}

// One entry per logger: the lines of one request mostly share one baggage object and one span.
const byBaggage = new WeakMap<Logger, { baggage: Baggage; logger: Logger }>();
const bySpan = new WeakMap<Logger, { spanContext: SpanContext; logger: Logger }>();

function bindBaggage(logger: Logger, baggage: Baggage): Logger {
  const cached = byBaggage.get(logger);
  if (cached?.baggage === baggage) return cached.logger;
  const { requestId, userId } = readBaggage(baggage);
  // Baggage arrives from another process, so its values are masked like any other input.
  const fields: Record<string, string> = {};
  if (requestId) fields.request_id = maskString(requestId);
  if (userId) fields.user_id = maskString(userId);
  const bound = requestId || userId ? logger.child(fields) : logger;
  byBaggage.set(logger, { baggage, logger: bound });
  return bound;
}

const TRACE_FLAGS_HEX = ['00', '01'];

/**
 * A descendant of `logger` with the trace fields appended to its serialized bindings. Built by hand
 * rather than with logger.child(): spans change often, and the ids are validated hex that needs no
 * JSON escaping, so string concatenation is safe and far cheaper.
 */
function bindTrace(logger: Logger, spanContext: SpanContext): Logger {
  const cached = bySpan.get(logger);
  if (cached?.spanContext === spanContext) return cached.logger;
  const flags = TRACE_FLAGS_HEX[spanContext.traceFlags] ?? spanContext.traceFlags.toString(16).padStart(2, '0');
  const bound = Object.create(logger) as Logger & Record<symbol, string>;
  const bindings = (logger as unknown as Record<symbol, string>)[chindingsSym] ?? '';
  bound[chindingsSym] = `${bindings},"trace_id":"${spanContext.traceId}","span_id":"${spanContext.spanId}","trace_flags":"${flags}"`;
  bySpan.set(logger, { spanContext, logger: bound });
  return bound;
}

// Checking validity runs two regexes; consecutive lines mostly share one span context object.
let lastSpanContext: SpanContext | undefined;
let lastSpanContextValid = false;
function isValidSpanContext(spanContext: SpanContext): boolean {
  if (spanContext !== lastSpanContext) {
    lastSpanContext = spanContext;
    lastSpanContextValid = trace.isSpanContextValid(spanContext);
  }
  return lastSpanContextValid;
}

function readBaggage(baggage: Baggage | undefined): LogContext {
  if (!baggage) return {};
  const found: LogContext = {};
  const requestId = baggage.getEntry(BAGGAGE_REQUEST_ID)?.value;
  const userId = baggage.getEntry(BAGGAGE_USER_ID)?.value;
  if (requestId) found.requestId = requestId;
  if (userId) found.userId = userId;
  return found;
}

function withBaggage(logContext: LogContext): Context {
  const active = context.active();
  const { requestId, userId } = logContext;
  if (typeof requestId !== 'string' && typeof userId !== 'string') return active;
  let baggage = propagation.getBaggage(active) ?? propagation.createBaggage();
  if (typeof requestId === 'string') baggage = baggage.setEntry(BAGGAGE_REQUEST_ID, { value: requestId });
  if (typeof userId === 'string') baggage = baggage.setEntry(BAGGAGE_USER_ID, { value: userId });
  return propagation.setBaggage(active, baggage);
}

/** requestId -> request_id, jobId -> job_id; keys already snake_cased stay as they are. */
export function toFieldName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function toFields(logContext: LogContext): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(logContext)) fields[toFieldName(key)] = logContext[key];
  return fields;
}
