// A TracerProvider that answers "start a child of a span the sampler left out" itself, with a span that
// records nothing, instead of asking the SDK (ADR 0006).
//
// Why: nine requests in ten are not sampled, and each still starts several child spans (MCP, Redis,
// fetch, review modules). The SDK gives each of them the whole treatment before the sampler says no:
// attributes sanitized, the sampler run, new ids drawn. Profiled under load that was the largest share of
// the span work left in a request. The answer is known before all of it: every sampler the bootstrap
// offers decides a child of a local unsampled parent the same way (parent-based ones follow the parent;
// trace-id-ratio gives the same trace id the same answer), so the child is not sampled either.
//
// The stand-in carries the parent's span context: it propagates the same trace id and the unsampled
// flag downstream, which is all an unsampled span is for. Remote parents (a caller's traceparent) still
// go to the SDK: the sampler may decide those by trace id (LOOKOUT_TRUST_INBOUND_SAMPLING, ADR 0007).
import type { Context, Span, SpanOptions, Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import { requireOtel } from './otel.ts';

type Api = typeof import('@opentelemetry/api');

type ActiveArgs = [SpanOptions | ((span: Span) => unknown), (Context | ((span: Span) => unknown))?, ((span: Span) => unknown)?];

function skippingTracer(api: Api, tracer: Tracer): Tracer {
  const { context, trace, TraceFlags } = api;
  const startSpan = (name: string, options?: SpanOptions, ctx: Context = context.active()): Span => {
    const parent = options?.root ? undefined : trace.getSpanContext(ctx);
    if (parent !== undefined && !parent.isRemote && (parent.traceFlags & TraceFlags.SAMPLED) === 0 && trace.isSpanContextValid(parent)) {
      return trace.wrapSpanContext(parent);
    }
    return tracer.startSpan(name, options, ctx);
  };
  // The API's overloads: (name, fn), (name, options, fn), (name, options, context, fn).
  const startActiveSpan = (name: string, ...args: ActiveArgs): unknown => {
    const fn = args.at(-1) as (span: Span) => unknown;
    const options = typeof args[0] === 'function' ? undefined : args[0];
    const ctx = args.length === 3 ? (args[1] as Context) : context.active();
    const span = startSpan(name, options, ctx);
    return context.with(trace.setSpan(ctx, span), fn, undefined, span);
  };
  return { startSpan, startActiveSpan } as Tracer;
}

/** `provider`, with its tracers' unsampled local children made here (see above). */
export function skipUnsampledChildren(provider: TracerProvider): TracerProvider {
  const api = requireOtel('@opentelemetry/api') as Api;
  const tracers = new Map<string, Tracer>();
  return {
    getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
      const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
      let tracer = tracers.get(key);
      if (tracer === undefined) {
        tracer = skippingTracer(api, provider.getTracer(name, version, options));
        tracers.set(key, tracer);
      }
      return tracer;
    },
  };
}
