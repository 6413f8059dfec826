import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { context, createContextKey, propagation, trace, type Baggage, type Context, type SpanContext } from '@opentelemetry/api';
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
  /** The same context as log fields (request_id, user_id, job_id...), not masked; on first use (rawFieldsOf). */
  rawFields?: Readonly<Record<string, unknown>>;
  /** `rawFields` masked, on first use by a logger that masks on this thread. */
  maskedFields?: Readonly<Record<string, unknown>>;
  /** Fields serialized the way pino serializes bindings (`,"key":value...`), on first use. */
  maskedFieldsJson?: string;
  /** The same of rawFields, for a logger whose transport worker masks every line. */
  rawFieldsJson?: string;
}

// Baggage entry names: the same words as the log fields, so a downstream service reads what it logs.
export const BAGGAGE_REQUEST_ID = 'request_id';
export const BAGGAGE_USER_ID = 'user_id';

/** A request id: a UUID (any version), the only form a service accepts from outside. */
export const REQUEST_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A user id is an identifier (an API key id, an operator name), short, plain, and not secret-shaped.
const USER_ID_PATTERN = /^[\w.@:-]{1,64}$/;

export const isRequestId = (value: unknown): value is string => typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
const isUserId = (value: string) => USER_ID_PATTERN.test(value) && maskString(value) === value;

/**
 * The only baggage entries Lookout reads, forwards or puts in job data, each with what its value must
 * look like. Baggage arrives from clients: any other entry, or a value of another shape, is dropped,
 * so a secret sent there never reaches a log line, a downstream call, a job or an audit record.
 */
const BAGGAGE_ALLOW_LIST: Readonly<Record<string, (value: string) => boolean>> = {
  [BAGGAGE_REQUEST_ID]: isRequestId,
  [BAGGAGE_USER_ID]: isUserId,
};

type BaggageEntries = Record<string, { value: string }>;

// The last baggage this module built: already cut to the allow-list, so a nested withLogContext (a
// service's request middleware, then its auth) does not filter it again. One entry, not a WeakSet: a
// WeakSet add cost more than the filtering it saves, and a miss (another request in between) only
// means filtering again.
let lastVetted: Baggage | undefined;
const isVetted = (baggage: Baggage) => baggage === lastVetted;

/** The allow-listed entries of `baggage` whose values are valid; `all` when that is every entry. */
function allowedEntries(baggage: Baggage | undefined): { entries: BaggageEntries; all: boolean } {
  const entries: BaggageEntries = {};
  if (!baggage) return { entries, all: true };
  const vetted = isVetted(baggage);
  let all = true;
  for (const [key, entry] of baggage.getAllEntries()) {
    if (vetted || BAGGAGE_ALLOW_LIST[key]?.(entry.value)) entries[key] = { value: entry.value };
    // Metadata (";prop") is client text too: an entry that has some is rebuilt without it.
    if (!vetted && (entries[key] === undefined || entry.metadata !== undefined)) all = false;
  }
  return { entries, all };
}

function vettedBaggage(entries: BaggageEntries): Baggage | undefined {
  if (Object.keys(entries).length === 0) return undefined;
  lastVetted = propagation.createBaggage(entries);
  return lastVetted;
}

/** Only the allow-listed entries of `baggage` whose values are valid; undefined when none is left. */
export function allowedBaggage(baggage: Baggage | undefined): Baggage | undefined {
  if (!baggage || isVetted(baggage)) return baggage;
  return vettedBaggage(allowedEntries(baggage).entries);
}

/** `context` with `baggage` as its baggage, or none; `context` itself when that is already so. */
function withBaggageOf(active: Context, baggage: Baggage | undefined): Context {
  const current = propagation.getBaggage(active);
  if (baggage === current) return active;
  return baggage ? propagation.setBaggage(active, baggage) : propagation.deleteBaggage(active);
}

/** `active` with its baggage cut down to allowedBaggage (none at all when nothing is allowed). */
export function withAllowedBaggage(active: Context): Context {
  return withBaggageOf(active, allowedBaggage(propagation.getBaggage(active)));
}

const storage = new AsyncLocalStorage<ContextStore>();
// With an OTel context manager installed (the bootstrap's), the store rides in the OTel context: one
// async-context frame per withLogContext instead of two. Without one, the logger's own ALS carries it.
const STORE_KEY = createContextKey('@lookout/logger context');

function currentStore(active: Context): ContextStore | undefined {
  return (active.getValue(STORE_KEY) as ContextStore | undefined) ?? storage.getStore();
}

/**
 * Runs `fn` with `logContext` merged over the outer one: every log line inside, across awaits, timers
 * and event emitters, carries it. requestId/userId also go into OTel baggage of the context `fn` runs
 * in, so outgoing calls propagate them (when @lookout/otel-bootstrap installed a context manager and
 * the W3C baggage propagator). Undefined values do not override the outer context.
 */
export function withLogContext<T>(logContext: LogContext, fn: () => T): T {
  const active = context.active();
  const outer = currentStore(active)?.context;
  const merged: LogContext = { ...outer };
  for (const key of Object.keys(logContext)) {
    if (logContext[key] !== undefined) merged[key] = logContext[key];
  }
  // Fields are built by the first line logged in this context: most requests log none at info or above.
  const store: ContextStore = { context: Object.freeze(merged) };
  const inner = withBaggage(active, merged).setValue(STORE_KEY, store);
  // context.with only switches contexts when a manager is installed: otherwise use the ALS.
  return context.with(inner, () => (context.active() === inner ? fn() : storage.run(store, fn)));
}

/** The context set by the enclosing withLogContext calls, else request_id/user_id from OTel baggage. */
export function getLogContext(): Readonly<LogContext> {
  return currentStore(context.active())?.context ?? logContextFromBaggage();
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
export function contextualLogger(logger: Logger, maskHere: boolean): Logger {
  const active = context.active();
  const store = currentStore(active);
  // OTel contexts and stores are immutable, and a logger masks here or never, so the same three
  // inputs always give the same logger.
  if (logger === lastLogger && active === lastActive && store === lastStore && lastResult) return lastResult;
  const result = bindFields(logger, active, store, maskHere);
  lastLogger = logger;
  lastActive = active;
  lastStore = store;
  lastResult = result;
  return result;
}

const rawFieldsOf = (store: ContextStore) => (store.rawFields ??= Object.freeze(toFields(store.context)));

// A one-entry memo of contextualLogger: consecutive lines mostly come from one logger in one context.
let lastLogger: Logger | undefined;
let lastActive: Context | undefined;
let lastStore: ContextStore | undefined;
let lastResult: Logger | undefined;

/**
 * maskHere: the context fields are masked (once per context) unless the logger's transport worker
 * masks every line anyway. Baggage comes from another process and is masked in both cases.
 */
function bindFields(logger: Logger, active: Context, store: ContextStore | undefined, maskHere: boolean): Logger {
  const fields = store && maskHere ? (store.maskedFields ??= Object.freeze(maskSecrets(rawFieldsOf(store)))) : store && rawFieldsOf(store);
  const contextJson = !store
    ? baggageJson(propagation.getBaggage(active))
    : maskHere
      ? (store.maskedFieldsJson ??= bindingsJson(fields ?? {}))
      : (store.rawFieldsJson ??= bindingsJson(fields ?? {}));
  const spanContext = trace.getSpan(active)?.spanContext();
  const traceJson = spanContext && isValidSpanContext(spanContext) ? traceFieldsJson(spanContext) : '';
  return contextJson === undefined ? bind(logger.child(fields ?? {}), traceJson) : bind(logger, contextJson + traceJson);
}

/**
 * A descendant of `logger` with `json` appended to its serialized bindings: what logger.child() gives,
 * built by hand because it happens once per request. Its prototype is the long-lived `logger`, never
 * another per-request object: V8 then gives every such descendant one shape, where chaining
 * per-request prototypes (as child() of a child would) made each one a new shape and a slow prototype.
 */
function bind(logger: Logger, json: string): Logger {
  if (json === '') return logger;
  const bound = Object.create(logger) as Logger & Record<symbol, string>;
  bound[chindingsSym] = `${(logger as unknown as Record<symbol, string>)[chindingsSym] ?? ''}${json}`;
  return bound;
}

/** `,"key":value` for each field, as pino writes bindings; undefined when a value cannot be JSON. */
function bindingsJson(fields: Readonly<Record<string, unknown>>): string | undefined {
  let json = '';
  try {
    for (const key in fields) {
      const value = JSON.stringify(fields[key]);
      if (value !== undefined) json += keyJson(key) + value;
    }
  } catch {
    return undefined; // a BigInt or a throwing toJSON: let pino's own child() serialize it
  }
  return json;
}

// `,"key":` per field name: the same few names in every context.
const keysJson = new Map<string, string>();
function keyJson(key: string): string {
  let json = keysJson.get(key);
  if (json === undefined) {
    json = `,${JSON.stringify(key)}:`;
    if (keysJson.size >= FIELD_NAMES_MAX) keysJson.clear();
    keysJson.set(key, json);
  }
  return json;
}

// Per baggage object, its fields as JSON: a service's lines of one request share one baggage object.
const baggageFields = new WeakMap<Baggage, string>();

function baggageJson(baggage: Baggage | undefined): string {
  if (!baggage) return '';
  let json = baggageFields.get(baggage);
  if (json === undefined) {
    const { requestId, userId } = readBaggage(baggage);
    // Baggage arrives from another process, so its values are masked like any other input.
    json = '';
    if (requestId) json += `,"request_id":${JSON.stringify(maskString(requestId))}`;
    if (userId) json += `,"user_id":${JSON.stringify(maskString(userId))}`;
    baggageFields.set(baggage, json);
  }
  return json;
}

const TRACE_FLAGS_HEX = ['00', '01'];
let lastTraceContext: SpanContext | undefined;
let lastTraceJson = '';

/** The trace fields as JSON. The ids are validated hex that needs no escaping, so concatenation is safe. */
function traceFieldsJson(spanContext: SpanContext): string {
  if (spanContext !== lastTraceContext) {
    const flags = TRACE_FLAGS_HEX[spanContext.traceFlags] ?? spanContext.traceFlags.toString(16).padStart(2, '0');
    lastTraceContext = spanContext;
    lastTraceJson = `,"trace_id":"${spanContext.traceId}","span_id":"${spanContext.spanId}","trace_flags":"${flags}"`;
  }
  return lastTraceJson;
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
  if (requestId && isRequestId(requestId)) found.requestId = requestId;
  if (userId && isUserId(userId)) found.userId = userId;
  return found;
}

/**
 * The context `fn` runs in: `active` with its baggage cut to the allow-list (a client's other entries
 * are not passed on), and requestId/userId set when they are valid. One new context at most.
 */
function withBaggage(active: Context, logContext: LogContext): Context {
  const current = propagation.getBaggage(active);
  const { entries, all } = allowedEntries(current);
  const { requestId, userId } = logContext;
  let changed = false;
  const set = (key: string, value: string) => {
    if (entries[key]?.value === value) return;
    entries[key] = { value };
    changed = true;
  };
  if (isRequestId(requestId)) set(BAGGAGE_REQUEST_ID, requestId);
  if (typeof userId === 'string' && isUserId(userId)) set(BAGGAGE_USER_ID, userId);
  // Every entry allowed (a caller of ours sent just these) and nothing new: the same baggage, and the
  // same context, serve.
  if (!changed && current && all) {
    lastVetted = current;
    return active;
  }
  return withBaggageOf(active, vettedBaggage(entries));
}

// Context keys are a handful of names in code (requestId, userId, jobId): converted once each.
const FIELD_NAMES_MAX = 256;
const fieldNames = new Map<string, string>();

/** requestId -> request_id, jobId -> job_id; keys already snake_cased stay as they are. */
export function toFieldName(key: string): string {
  let name = fieldNames.get(key);
  if (name === undefined) {
    name = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    if (fieldNames.size >= FIELD_NAMES_MAX) fieldNames.clear();
    fieldNames.set(key, name);
  }
  return name;
}

function toFields(logContext: LogContext): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(logContext)) fields[toFieldName(key)] = logContext[key];
  return fields;
}
