// Client spans, trace-context headers and http.client.request.duration for fetch (Node's undici), in
// place of @opentelemetry/instrumentation-undici (ADR 0006, decision 7). It listens on the same
// diagnostics channels and gives the same signals; what differs is when work is done.
//
// Why our own: measured with the services side by side under load, instrumentation-undici cost 4 % of
// MCP throughput, nearly all of it on the nine calls in ten the sampler leaves out: the request URL
// parsed and its attributes built before the span is started, a WeakMap entry per request, and span
// attributes set on a span that records nothing. Here an unsampled call costs a span start (the
// unsampled-children shortcut), the header injection and one histogram record; the origin is parsed
// once per origin.
//
// What a call gets (a call outside any trace gets no span, only the duration, as before):
// - a CLIENT span "METHOD" ("HTTP" for a method outside the standard ones), child of the active span;
// - when recorded: http.request.method (and _original for _OTHER), url.full (its query cut on export),
//   url.path, url.query (dropped on export),
//   url.scheme, server.address/port, user_agent.original, network.peer.address/port,
//   network.protocol.version, http.response.status_code, error.type with ERROR status for a status of
//   400 and up or a failure, and the exception; the export rules of span-masking.ts apply;
// - traceparent and baggage headers from the active propagator;
// - http.client.request.duration (s) labelled method, server.address/port, url.scheme, status code,
//   network.protocol.version and error.type (the catalog's labels).
import type { Attributes, Context, Histogram, Meter, Span, TextMapSetter, Tracer } from '@opentelemetry/api';
import { SECONDS_BUCKETS } from '@lookout/catalog';
import { requireOtel } from './otel.ts';

type Api = typeof import('@opentelemetry/api');

/** The instrumentation scope of the client spans and the duration histogram. */
export const FETCH_CLIENT_SCOPE = '@lookout/otel-bootstrap/fetch-client';

export interface FetchClientInstrumentationOptions {
  tracer: Tracer;
  meter: Meter;
}

/** The parts of undici's request object the channels hand over that are used here. */
interface UndiciRequest {
  origin: string;
  method: string;
  path: string;
  headers: string | string[];
  addHeader?(name: string, value: string): unknown;
  [PENDING]?: Pending;
}

interface Pending {
  span: Span;
  started: number;
  /** The duration's labels, completed as the response arrives. */
  labels: Attributes;
}

const PENDING = Symbol('@lookout/otel-bootstrap/fetch-client');

// instrumentation-undici's method list, so the series keep their names.
const KNOWN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'OPTIONS', 'HEAD', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'QUERY']);
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

interface Origin {
  scheme: string;
  address: string;
  port: number | undefined;
}

// Origins are the services a process calls: a handful, so parsed once each (bounded all the same).
const ORIGINS_MAX = 256;
const origins = new Map<string, Origin | null>();

function originOf(origin: string): Origin | null {
  let parsed = origins.get(origin);
  if (parsed === undefined) {
    parsed = parseOrigin(origin);
    if (origins.size >= ORIGINS_MAX) origins.clear();
    origins.set(origin, parsed);
  }
  return parsed;
}

function parseOrigin(origin: string): Origin | null {
  try {
    const url = new URL(origin);
    const scheme = url.protocol.slice(0, -1);
    return { scheme, address: url.hostname, port: url.port === '' ? DEFAULT_PORTS[scheme] : Number(url.port) };
  } catch {
    return null;
  }
}

const USER_AGENT_LINE = /^user-agent:[ \t]*(.*?)[ \t]*\r?$/im;

/** The user-agent header, whichever form undici's request holds headers in (the last one wins in a list). */
export function userAgentOf(headers: string | string[]): string | undefined {
  if (!Array.isArray(headers)) return USER_AGENT_LINE.exec(headers)?.[1];
  let found: string | undefined;
  for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === 'user-agent') found = String(headers[i + 1]);
  return found;
}

function requestAttributes(request: UndiciRequest, method: string, origin: Origin): Attributes {
  const query = request.path.indexOf('?');
  const attributes: Attributes = {
    'http.request.method': method,
    'url.full': `${request.origin}${request.path}`,
    'url.path': query === -1 ? request.path : request.path.slice(0, query),
    'url.query': query === -1 ? '' : request.path.slice(query),
    'url.scheme': origin.scheme,
    'server.address': origin.address,
  };
  if (method === '_OTHER') attributes['http.request.method_original'] = request.method;
  if (origin.port !== undefined) attributes['server.port'] = origin.port;
  const userAgent = userAgentOf(request.headers);
  if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
  return attributes;
}

/** Adds a header whichever form undici's request holds them in. */
const headerSetter: TextMapSetter<UndiciRequest> = {
  set(request, name, value) {
    if (typeof request.addHeader === 'function') request.addHeader(name, value);
    else if (typeof request.headers === 'string') request.headers += `${name}: ${value}\r\n`;
    else request.headers.push(name, value);
  },
};

/** Subscribes to undici's diagnostics channels; returns the function that unsubscribes. */
export function instrumentFetch({ tracer, meter }: FetchClientInstrumentationOptions): () => void {
  const api = requireOtel('@opentelemetry/api') as Api;
  // Required, not imported: see http-server.ts (a static import of a builtin cost RSS at start-up).
  const channels = requireOtel('node:diagnostics_channel') as typeof import('node:diagnostics_channel');
  const duration = meter.createHistogram('http.client.request.duration', {
    description: 'Duration of HTTP client requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...SECONDS_BUCKETS] },
  });
  const handlers = clientHandlers(api, tracer, duration);
  for (const [name, handler] of Object.entries(handlers)) channels.subscribe(name, handler as (message: unknown) => void);
  return () => {
    for (const [name, handler] of Object.entries(handlers)) channels.unsubscribe(name, handler as (message: unknown) => void);
  };
}

function clientHandlers(api: Api, tracer: Tracer, duration: Histogram) {
  const { context, propagation, trace, INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode } = api;

  const startSpan = (active: Context, method: string): Span => {
    const parent = trace.getSpanContext(active);
    // No active trace: no span (requireParentforSpans, as before), and nothing but baggage to inject.
    if (parent === undefined || !trace.isSpanContextValid(parent)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    return tracer.startSpan(method === '_OTHER' ? 'HTTP' : method, { kind: SpanKind.CLIENT }, active);
  };

  const finish = (request: UndiciRequest, pending: Pending) => {
    // Cleared, not deleted: a delete would turn undici's request object into a slow dictionary.
    request[PENDING] = undefined;
    pending.span.end();
    duration.record((performance.now() - pending.started) / 1000, pending.labels);
  };

  return {
    'undici:request:create': ({ request }: { request: UndiciRequest }) => {
      if (request.method === 'CONNECT') return;
      const origin = originOf(request.origin);
      if (origin === null) return;
      const upper = request.method.toUpperCase();
      const method = KNOWN_METHODS.has(upper) ? upper : '_OTHER';
      const active = context.active();
      const span = startSpan(active, method);
      if (span.isRecording()) span.setAttributes(requestAttributes(request, method, origin));
      propagation.inject(trace.setSpan(active, span), request, headerSetter);
      const labels: Attributes = { 'http.request.method': method, 'server.address': origin.address, 'url.scheme': origin.scheme };
      if (origin.port !== undefined) labels['server.port'] = origin.port;
      request[PENDING] = { span, started: performance.now(), labels };
    },
    'undici:client:sendHeaders': ({ request, socket }: { request: UndiciRequest; socket: { remoteAddress?: string; remotePort?: number; alpnProtocol?: string | false } }) => {
      const pending = request[PENDING];
      if (pending === undefined) return;
      const version = socket.alpnProtocol === 'h2' ? '2' : '1.1';
      pending.labels['network.protocol.version'] = version;
      if (!pending.span.isRecording()) return;
      pending.span.setAttribute('network.protocol.version', version);
      if (socket.remoteAddress !== undefined) pending.span.setAttribute('network.peer.address', socket.remoteAddress);
      if (socket.remotePort !== undefined) pending.span.setAttribute('network.peer.port', socket.remotePort);
    },
    'undici:request:headers': ({ request, response }: { request: UndiciRequest; response: { statusCode: number } }) => {
      const pending = request[PENDING];
      if (pending === undefined) return;
      const status = response.statusCode;
      pending.labels['http.response.status_code'] = status;
      if (status >= 400) pending.labels['error.type'] = String(status);
      if (!pending.span.isRecording()) return;
      pending.span.setAttribute('http.response.status_code', status);
      if (status >= 400) {
        pending.span.setAttribute('error.type', String(status));
        pending.span.setStatus({ code: SpanStatusCode.ERROR });
      }
    },
    'undici:request:trailers': ({ request }: { request: UndiciRequest }) => {
      const pending = request[PENDING];
      if (pending !== undefined) finish(request, pending);
    },
    'undici:request:error': ({ request, error }: { request: UndiciRequest; error: Error & { code?: string } }) => {
      const pending = request[PENDING];
      if (pending === undefined) return;
      // A call the caller aborted is not a failure of the server's (as instrumentation-undici has it).
      if (error.name !== 'AbortError') {
        const errorType = error.code || error.name || 'Error';
        pending.labels['error.type'] = errorType;
        if (pending.span.isRecording()) {
          pending.span.setAttribute('error.type', errorType);
          pending.span.recordException(error);
          pending.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        }
      }
      finish(request, pending);
    },
  };
}
