// W3C trace context and baggage, except that an inbound `tracestate` is dropped on extraction.
// Its entries are opaque strings chosen by whoever sent the request: kept, they would ride on every
// span of the trace, in outgoing headers and in job data. No service of ours writes tracestate, so
// dropping it loses nothing; this covers the `tracestate` header and MCP's params._meta alike,
// since both are extracted through the global propagator.
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { requireOtel } from './otel.ts';

type Api = typeof import('@opentelemetry/api');
type Core = typeof import('@opentelemetry/core');

function withoutTraceState(api: Api, extracted: Context): Context {
  const spanContext = api.trace.getSpanContext(extracted);
  if (spanContext?.traceState === undefined) return extracted;
  const { traceState: _dropped, ...rest } = spanContext;
  return api.trace.setSpanContext(extracted, rest);
}

export function createPropagator(): TextMapPropagator {
  const api = requireOtel('@opentelemetry/api') as Api;
  const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = requireOtel('@opentelemetry/core') as Core;
  const traceContext = new W3CTraceContextPropagator();
  const inboundWithoutTraceState: TextMapPropagator = {
    inject: (context: Context, carrier: unknown, setter: TextMapSetter) => traceContext.inject(context, carrier, setter),
    extract: (context: Context, carrier: unknown, getter: TextMapGetter) => withoutTraceState(api, traceContext.extract(context, carrier, getter)),
    fields: () => traceContext.fields(),
  };
  return new CompositePropagator({ propagators: [inboundWithoutTraceState, new W3CBaggagePropagator()] });
}
