// Masks what a span carries before it leaves the process, with the logger's masker (one set of
// secret patterns for logs and traces). The collector's transform cannot do this job: it does not
// reach span names or traceState. It runs in the exporter, so only sampled spans pay, once, in the
// background batch. The policy is per attribute: client free text is masked and bounded or dropped.
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import type { Attributes, AttributeValue, Link, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace';

export interface Masker {
  maskString(text: string): string;
  isSecretKey(key: string): boolean;
  REDACTED: string;
}

/** Longest value kept of a string the client wrote (user agent, host, unmatched path...). */
export const CLIENT_TEXT_MAX_LENGTH = 256;
/** Longest span name exported (ours are "METHOD /route" or "tools/call tool"; anything longer is odd). */
export const SPAN_NAME_MAX_LENGTH = 256;
/** url.path of a request no route matched and that failed with a 4xx (a 404 mostly). */
export const UNMATCHED_PATH = '_OTHER';

type Rule = (value: AttributeValue, attributes: Attributes, masker: Masker) => AttributeValue | undefined;

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

const maskValue: Rule = (value, _attributes, masker) => {
  if (typeof value === 'string') return masker.maskString(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? masker.maskString(item) : item)) as AttributeValue;
  return value;
};

const clientText: Rule = (value, attributes, masker) => {
  const masked = maskValue(value, attributes, masker);
  return typeof masked === 'string' ? clip(masked, CLIENT_TEXT_MAX_LENGTH) : masked;
};

// A user agent's product tokens ("curl/8.5.0", "Mozilla/5.0") tell clients apart; its comments and
// anything else are free text a client can fill with anything. A product name has no digits and a
// version is dotted numbers with a short suffix, so a token or key pasted in there does not pass.
const PRODUCT = /^[A-Za-z][A-Za-z._-]{0,31}(?:\/\d{1,6}(?:\.\d{1,6}){0,3}(?:-[A-Za-z0-9.]{1,12})?)?$/;
const MAX_PRODUCTS = 4;
const userAgentProducts: Rule = (value) => {
  if (typeof value !== 'string') return undefined;
  const products = value.replace(/\([^()]*\)/g, ' ').split(/\s+/).filter((token) => PRODUCT.test(token)).slice(0, MAX_PRODUCTS);
  return products.length > 0 ? products.join(' ') : UNMATCHED_PATH;
};

const RULES: Record<string, Rule> = {
  // Dropped: no route of ours reads a query string, so all of it is client text with no use in a
  // trace (the instrumentation redacts only a few cloud signature parameters).
  'url.query': () => undefined,
  // The same query inside the full URL (client spans set both): cut with its fragment, the rest masked.
  'url.full': (value, attributes, masker) => {
    if (typeof value !== 'string') return undefined;
    const end = value.search(/[?#]/);
    return maskValue(end === -1 ? value : value.slice(0, end), attributes, masker);
  },
  // The route template where one matched (its variable parts are client text); a 4xx that matched
  // nothing gets a fixed value, since its path is whatever the client typed; else masked and bounded.
  'url.path': (value, attributes, masker) => {
    const route = attributes['http.route'];
    if (typeof route === 'string') return route;
    const status = attributes['http.response.status_code'];
    if (typeof status === 'number' && status >= 400 && status < 500) return UNMATCHED_PATH;
    return clientText(value, attributes, masker);
  },
  'user_agent.original': userAgentProducts,
  // Free text from request headers: useful to tell clients apart, so kept, masked and bounded.
  'server.address': clientText,
  'http.request.method_original': clientText,
  'mcp.protocol.version': clientText,
  // A JSON-RPC id is the client's choice of string; a span is already one request, so only the
  // MCP SDK's small integer ids are worth keeping.
  'jsonrpc.request.id': (value) => (typeof value === 'number' || (typeof value === 'string' && /^-?\d{1,12}$/.test(value)) ? value : undefined),
  // Derived by the bootstrap from the socket (X-Forwarded-For only via trusted proxies): only an IP passes.
  'client.address': (value) => (typeof value === 'string' && isIP(value) !== 0 ? value : undefined),
};

export function maskAttributes(attributes: Attributes, masker: Masker): Attributes {
  const masked: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    const secretText = masker.isSecretKey(key) && (typeof value === 'string' || Array.isArray(value));
    const result = secretText ? masker.REDACTED : (RULES[key] ?? maskValue)(value, attributes, masker);
    if (result !== undefined) masked[key] = result;
  }
  return masked;
}

/** No service of ours writes tracestate; whatever is there came from outside. */
const withoutTraceState = (context: SpanContext): SpanContext => {
  if (context.traceState === undefined) return context;
  const { traceState: _dropped, ...rest } = context;
  return rest;
};

export function maskSpan(span: ReadableSpan, masker: Masker): ReadableSpan {
  const spanContext = withoutTraceState(span.spanContext());
  const status = span.status.message === undefined ? span.status : { ...span.status, message: masker.maskString(span.status.message) };
  return {
    name: clip(masker.maskString(span.name), SPAN_NAME_MAX_LENGTH),
    kind: span.kind,
    spanContext: () => spanContext,
    parentSpanContext: span.parentSpanContext && withoutTraceState(span.parentSpanContext),
    startTime: span.startTime,
    endTime: span.endTime,
    status,
    attributes: maskAttributes(span.attributes, masker),
    links: span.links.map((link): Link => ({ ...link, context: withoutTraceState(link.context), ...(link.attributes ? { attributes: maskAttributes(link.attributes, masker) } : {}) })),
    events: span.events.map((event): TimedEvent => ({ ...event, name: masker.maskString(event.name), ...(event.attributes ? { attributes: maskAttributes(event.attributes, masker) } : {}) })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

// Loaded on the first export, not at start-up: the logger pulls in pino, which must load after
// the instrumentations are registered (and start-up stays as small as it is).
const loadLoggerMasker = (): Masker => createRequire(import.meta.url)('@lookout/logger') as typeof import('@lookout/logger');

/** Wraps an exporter so every span is masked first. If masking fails the batch is refused, never sent raw. */
export function maskingExporter(inner: SpanExporter, loadMasker: () => Masker = loadLoggerMasker): SpanExporter {
  let masker: Masker | undefined;
  return {
    export(spans, resultCallback) {
      let masked: ReadableSpan[];
      try {
        const loaded = (masker ??= loadMasker());
        masked = spans.map((span) => maskSpan(span, loaded));
      } catch (error) {
        resultCallback({ code: 1, error: error instanceof Error ? error : new Error(String(error)) });
        return;
      }
      inner.export(masked, resultCallback);
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
