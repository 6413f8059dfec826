// Server spans and http.server.request.duration for every node:http server, in place of
// instrumentation-http's incoming side and instrumentation-express (ADR 0006).
//
// Why our own: profiled under load, those two were the largest share of what the bootstrap added to a
// request (about 0.28 of 0.52 ms of service CPU per MCP call, bench/README.md), and most of it was spent
// on the nine requests in ten the sampler leaves out: request attributes computed and URL-parsed before
// the sampling decision, an RPC-metadata context, and a patched wrapper around every express layer just
// to learn the route. Here a request the sampler leaves out costs a span start, two wrapped emits and
// one histogram record; a sampled one gets the same stable-semconv span as before.
//
// What a request gets:
// - a SERVER span "METHOD /route" (the route template of the express route that answered, else the
//   method alone), child of the caller's traceparent, current for the whole request: the request and
//   response emit their events in it (emitIn), so body parsing and every handler run in it;
// - when sampled: http.request.method, url.scheme, url.path, network.protocol.version,
//   user_agent.original, client.address, server.address/port (from the socket, not the Host header),
//   then http.response.status_code, http.route, and error.type with ERROR status for a 5xx. The export
//   rules of span-masking.ts apply to them as to any span (url.path becomes the route, and so on);
// - http.server.request.duration (s) with the labels the catalog lists: method, scheme, protocol
//   version, status code, route when known, error.type on a 5xx.
// Probes and scrapes (isProbeRequest) get neither, and run outside any trace.
// https servers are not covered (no Lookout service serves TLS itself).
import type { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Attributes, Context, Histogram, Meter, Tracer } from '@opentelemetry/api';
import type { ClientAddressOf } from './client-address.ts';
import { SECONDS_BUCKETS } from '@lookout/catalog';
import { requireOtel } from './otel.ts';

type Api = typeof import('@opentelemetry/api');

/** The instrumentation scope of the server spans and the duration histogram. */
export const HTTP_SERVER_SCOPE = '@lookout/otel-bootstrap/http-server';

export interface HttpServerInstrumentationOptions {
  tracer: Tracer;
  meter: Meter;
  /** client.address of a request (the socket's peer, or X-Forwarded-For from a trusted proxy). */
  clientAddressOf: ClientAddressOf;
  /** Requests that get no span and no duration record (default: none). */
  ignore?: (request: IncomingMessage) => boolean;
}

/** Known methods keep their name; anything else a client sends is "_OTHER" (stable semconv). */
const KNOWN_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
const methodOf = (request: IncomingMessage): string => (request.method && KNOWN_METHODS.has(request.method) ? request.method : '_OTHER');


interface ExpressRequest extends IncomingMessage {
  route?: { path?: unknown };
  baseUrl?: string;
}

/**
 * The route template of the express route that handled the request. Only for routes on the app itself
 * or on a router mounted at "/": a router mounted at a path leaves that path in req.baseUrl as the client
 * sent it (with its parameter values), which must not become a label, so those get no route.
 */
function routeOf(request: IncomingMessage): string | undefined {
  const { route, baseUrl } = request as ExpressRequest;
  return typeof route?.path === 'string' && !baseUrl ? route.path : undefined;
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function requestAttributes(request: IncomingMessage, method: string, clientAddressOf: ClientAddressOf): Attributes {
  const { socket } = request;
  const attributes: Attributes = {
    'http.request.method': method,
    'url.scheme': 'http',
    'url.path': pathOf(request.url),
    'network.protocol.version': request.httpVersion,
  };
  // Only what is there: the SDK warns about every undefined attribute value.
  const userAgent = request.headers['user-agent'];
  if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
  const client = clientAddressOf(request);
  if (client !== undefined) attributes['client.address'] = client;
  if (socket.localAddress !== undefined) attributes['server.address'] = socket.localAddress;
  if (socket.localPort !== undefined) attributes['server.port'] = socket.localPort;
  return attributes;
}

/** Patches http.Server.prototype.emit; returns the function that undoes it. */
export function instrumentHttpServers(options: HttpServerInstrumentationOptions): () => void {
  const api = requireOtel('@opentelemetry/api') as Api;
  // Required, not imported: a static import of a builtin from this ESM graph cost ~6 MiB of RSS at start-up.
  const http = requireOtel('node:http') as typeof import('node:http');
  const duration = options.meter.createHistogram('http.server.request.duration', {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...SECONDS_BUCKETS] },
  });
  const { AsyncResource } = requireOtel('node:async_hooks') as typeof import('node:async_hooks');
  const traceRequest = requestTracer(api, options, duration, () => new AsyncResource('lookout.http.request'));
  const proto = http.Server.prototype;
  const original = proto.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  const patched = function (this: Server, event: string | symbol, request?: IncomingMessage, response?: ServerResponse): boolean {
    // arguments as they came: every event of every server passes through here.
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as [string | symbol, ...unknown[]];
    if (event !== 'request' || request === undefined || response === undefined || options.ignore?.(request)) return original.apply(this, args);
    return traceRequest(request, response, () => original.apply(this, args));
  };
  proto.emit = patched as typeof proto.emit;
  return () => {
    if (proto.emit === patched) proto.emit = original;
  };
}

/** Made in a context, it runs functions in that context (an AsyncResource). */
type ContextScope = Pick<AsyncResource, 'runInAsyncScope'>;

function requestTracer(api: Api, { tracer, clientAddressOf }: HttpServerInstrumentationOptions, duration: Histogram, newScope: () => ContextScope) {
  const { context, propagation, trace, ROOT_CONTEXT, SpanKind, SpanStatusCode } = api;
  return (request: IncomingMessage, response: ServerResponse, handle: () => boolean): boolean => {
    const started = performance.now();
    const method = methodOf(request);
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
    const recording = span.isRecording();
    if (recording) span.setAttributes(requestAttributes(request, method, clientAddressOf));
    const active = trace.setSpan(parent, span);
    response.once('close', () => {
      const status = response.statusCode;
      const route = routeOf(request);
      // A response the client left before it was sent has no status worth counting as one.
      const errorType = !response.writableFinished ? 'aborted' : status >= 500 ? String(status) : undefined;
      const outcome: Attributes = { 'http.response.status_code': status };
      if (route !== undefined) outcome['http.route'] = route;
      if (errorType !== undefined) outcome['error.type'] = errorType;
      duration.record((performance.now() - started) / 1000, {
        'http.request.method': method,
        'url.scheme': 'http',
        'network.protocol.version': request.httpVersion,
        ...outcome,
      });
      if (recording) {
        span.setAttributes(outcome);
        if (route !== undefined) span.updateName(`${method} ${route}`);
        if (errorType !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    });
    return context.with(active, () => {
      const scope = newScope();
      emitIn(context, active, scope, request);
      emitIn(context, active, scope, response);
      return handle();
    });
  };
}

/**
 * Every event of `emitter` is emitted in `active`, so its listeners run there whenever they were added.
 * The context manager's bind(context, emitter) gets the same by wrapping each listener as it is added
 * and keeping a map to remove it again; body parsing and the frameworks add and remove a dozen per
 * request, so wrapping the one emit is cheaper. `scope` was made in `active`: entering it swaps one
 * async-context frame, where context.with builds two new ones per event (Node 24's AsyncContextFrame
 * copies every store on each run). Measured per request with ten events: 0.75 µs against 2.7 µs for
 * context.with, and 7 µs for AsyncLocalStorage.snapshot(), whose bound function is costly to make.
 */
function emitIn(context: Api['context'], active: Context, scope: ContextScope, emitter: IncomingMessage | ServerResponse): void {
  const emit = emitter.emit;
  emitter.emit = function (this: typeof emitter, ...args: Parameters<typeof emit>) {
    // Events emitted from the handler itself (res.end's 'prefinish') are already in `active`.
    return context.active() === active ? emit.apply(this, args) : scope.runInAsyncScope(emit, this, ...args);
  } as typeof emit;
}
