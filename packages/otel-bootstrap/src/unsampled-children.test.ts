import { context, ROOT_CONTEXT, trace, TraceFlags, type Context, type Span, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, TracerProvider, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { skipUnsampledChildren } from './unsampled-children.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const parentWith = (traceFlags: TraceFlags, isRemote = false): Context =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags, isRemote } satisfies SpanContext);

function setup(sampler: Sampler) {
  const exporter = new InMemorySpanExporter();
  const shouldSample = vi.spyOn(sampler, 'shouldSample');
  const provider = new TracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  return { exporter, shouldSample, tracer: skipUnsampledChildren(provider).getTracer('test') };
}

beforeAll(() => void context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
afterAll(() => context.disable());

describe('skipUnsampledChildren', () => {
  it('answers a child of a local unsampled span itself: same context, records nothing, sampler not asked', () => {
    const { shouldSample, tracer } = setup(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
    const parent = parentWith(TraceFlags.NONE);
    const child = tracer.startSpan('child', { attributes: { 'db.statement': 'GET' } }, parent);
    expect(child.isRecording()).toBe(false);
    expect(child.spanContext()).toEqual(trace.getSpanContext(parent));
    expect(shouldSample).not.toHaveBeenCalled();
  });

  it('leaves sampled parents, remote parents and roots to the SDK and its sampler', () => {
    const { exporter, shouldSample, tracer } = setup(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
    tracer.startSpan('under sampled', {}, parentWith(TraceFlags.SAMPLED)).end();
    tracer.startSpan('root', {}, ROOT_CONTEXT).end();
    tracer.startSpan('explicit root', { root: true }, parentWith(TraceFlags.NONE)).end();
    const remote = tracer.startSpan('under remote unsampled', {}, parentWith(TraceFlags.NONE, true));
    expect(shouldSample).toHaveBeenCalledTimes(4);
    expect(remote.isRecording()).toBe(false); // parent-based: the sampler followed the caller's flag
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['under sampled', 'root', 'explicit root']);
  });

  it('gives what the SDK would under a trace-id ratio: the same trace id gets the same answer', () => {
    const ratio = new TraceIdRatioBasedSampler(0.1);
    const sdk = new TracerProvider({ sampler: ratio }).getTracer('sdk');
    const { tracer } = setup(ratio);
    // A local unsampled parent means the ratio said no for this trace id: so does it for the child.
    expect(sdk.startSpan('child', {}, parentWith(TraceFlags.NONE)).isRecording()).toBe(false);
    expect(tracer.startSpan('child', {}, parentWith(TraceFlags.NONE)).isRecording()).toBe(false);
  });

  it('runs startActiveSpan in the child with every overload, under sampled and unsampled parents', async () => {
    const { exporter, tracer } = setup(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
    const active = (span: Span) => {
      span.end();
      return trace.getActiveSpan() === span;
    };
    for (const flags of [TraceFlags.NONE, TraceFlags.SAMPLED]) {
      const parent = parentWith(flags);
      await context.with(parent, async () => {
        expect(tracer.startActiveSpan('a', active)).toBe(true);
        expect(tracer.startActiveSpan('b', {}, active)).toBe(true);
        expect(await tracer.startActiveSpan('c', {}, parent, async (span: Span) => active(span))).toBe(true);
      });
    }
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['a', 'b', 'c']);
  });
});
