import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createInstruments, REVIEW_MODULES } from '@lookout/catalog';
import { createTestMeter, type TestMeter } from '@lookout/catalog/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ZodError } from 'zod';
import { InvalidDiffError } from './diff.ts';
import { builtInModules, defaultModules } from './modules/index.ts';
import { runReview, type ReviewDeps } from './run-review.ts';
import { newFileDiff } from './diff-builders.test-support.ts';
import type { ReviewModule } from './types.ts';

const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
// One finding per built-in module except oversized_change (under its limits).
const DIFF = newFileDiff('src/app.ts', ['const a = 1;', `const key = "${AWS_KEY}";`, '// TODO: tidy', 'console.log(a);']);

class BoomError extends Error {
  override name = 'BoomError';
}
const throwing = (name: string): ReviewModule => ({
  name,
  run() {
    throw new BoomError(`cannot handle ${AWS_KEY}`); // a message quoting input must not leak
  },
});

let meter: TestMeter;
let deps: ReviewDeps;
beforeEach(() => {
  meter = createTestMeter('@lookout/reviewer');
  deps = { instruments: createInstruments(meter.meter, 'reviewer') };
});

async function points(name: string): Promise<Record<string, unknown>[]> {
  return (await meter.points(name)).map((p) => ({ ...p.attributes, value: p.value }));
}

describe('runReview', () => {
  it('runs every built-in module and returns their findings in module order', async () => {
    const result = await runReview(DIFF, {}, deps);
    expect(result.outcome).toBe('success');
    expect(result.modules.map((m) => [m.name, m.outcome])).toEqual([
      ['secrets', 'success'],
      ['todos', 'success'],
      ['oversized_change', 'success'],
      ['debug_leftovers', 'success'],
    ]);
    expect(result.findings.map((f) => [f.module, f.severity, f.file, f.line])).toEqual([
      ['secrets', 'error', 'src/app.ts', 2],
      ['todos', 'info', 'src/app.ts', 3],
      ['debug_leftovers', 'warning', 'src/app.ts', 4],
    ]);
    expect(result.durationSeconds).toBeGreaterThanOrEqual(0);
    for (const m of result.modules) expect(m.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(result)).not.toContain(AWS_KEY);
  });

  it('skips disabled modules entirely', async () => {
    const result = await runReview(DIFF, { modules: { secrets: { enabled: false }, debug_leftovers: { enabled: false } } }, deps);
    expect(result.modules.map((m) => m.name)).toEqual(['todos', 'oversized_change']);
    expect(result.findings.map((f) => f.module)).toEqual(['todos']);
    expect((await points('lookout.review.module.duration')).map((p) => p.module).sort()).toEqual(['oversized_change', 'todos']);
  });

  it('isolates a throwing module: it fails alone, as an error finding, and is counted', async () => {
    const modules = [builtInModules.secrets, throwing('todos'), builtInModules.debug_leftovers];
    const result = await runReview(DIFF, {}, { ...deps, modules });
    expect(result.outcome).toBe('partial');
    expect(result.modules.map((m) => m.outcome)).toEqual(['success', 'failure', 'success']);
    expect(result.findings).toContainEqual({ module: 'todos', severity: 'error', file: null, line: null, message: 'module failed: BoomError' });
    expect(result.findings.map((f) => f.module)).toEqual(['secrets', 'todos', 'debug_leftovers']);
    expect(JSON.stringify(result)).not.toContain(AWS_KEY);
    expect(await points('lookout.review.module.failures')).toEqual([{ module: 'todos', value: 1 }]);
    expect(await points('lookout.reviews')).toEqual([{ outcome: 'partial', value: 1 }]);
  });

  it('is a failure when every enabled module fails; unknown module names count as "other"', async () => {
    const result = await runReview(DIFF, {}, { ...deps, modules: [throwing('spelling'), throwing('secrets')] });
    expect(result.outcome).toBe('failure');
    expect(result.findings.map((f) => f.message)).toEqual(['module failed: BoomError', 'module failed: BoomError']);
    expect(await points('lookout.review.module.failures')).toEqual([
      { module: 'other', value: 1 },
      { module: 'secrets', value: 1 },
    ]);
  });

  it('reports non-Error throws and odd error names safely', async () => {
    const odd: ReviewModule = {
      name: 'todos',
      run() {
        const error = new Error('x');
        error.name = 'name with spaces and a secret';
        throw error;
      },
    };
    const plain: ReviewModule = { name: 'secrets', run: () => Promise.reject('just a string') };
    const result = await runReview(DIFF, {}, { ...deps, modules: [odd, plain] });
    expect(result.findings.map((f) => f.message)).toEqual(['module failed: Error', 'module failed: string']);
  });

  it('records the catalog metrics with the right labels', async () => {
    await runReview(DIFF, {}, deps);
    await runReview(newFileDiff('clean.ts', ['const ok = 1;']), {}, deps);

    expect(await points('lookout.reviews')).toEqual([{ outcome: 'success', value: 2 }]);
    const runs = await points('lookout.review.duration');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ outcome: 'success', value: { count: 2 } });

    const modules = await points('lookout.review.module.duration');
    expect(modules.map((p) => [p.module, p.outcome, (p.value as { count: number }).count])).toEqual(
      REVIEW_MODULES.map((name) => [name, 'success', 2]),
    );

    expect((await points('lookout.review.findings')).map((p) => [p.module, p.severity, p.value])).toEqual([
      ['secrets', 'error', 1],
      ['todos', 'info', 1],
      ['debug_leftovers', 'warning', 1],
    ]);
    expect(await points('lookout.review.module.failures')).toEqual([]);
  });

  it('rejects bad options and non-diff input before recording anything', async () => {
    await expect(runReview(DIFF, { modules: { nope: {} } }, deps)).rejects.toThrow(ZodError);
    await expect(runReview('hello', {}, deps)).rejects.toThrow(InvalidDiffError);
    expect(await points('lookout.reviews')).toEqual([]);
  });

  it('reviews an empty diff as a success with no findings', async () => {
    const result = await runReview('', {}, deps);
    expect(result).toMatchObject({ outcome: 'success', findings: [] });
    expect(result.modules).toHaveLength(4);
  });
});

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(async () => {
    context.disable();
    await provider.shutdown();
  });

  it('creates one child span per module under the review span', async () => {
    exporter.reset();
    const modules = [builtInModules.secrets, throwing('todos')];
    await runReview(DIFF, {}, { ...deps, modules, tracer: provider.getTracer('@lookout/reviewer') });
    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === 'review');
    expect(root?.attributes['lookout.review.outcome']).toBe('partial');
    const children = spans.filter((s) => s.name.startsWith('review.module '));
    expect(children.map((s) => s.name)).toEqual(['review.module secrets', 'review.module todos']);
    for (const child of children) {
      expect(child.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
      expect(child.spanContext().traceId).toBe(root?.spanContext().traceId);
    }
    const failed = children[1]!;
    expect(failed.status).toMatchObject({ code: 2, message: 'module failed: BoomError' });
    expect(failed.attributes['error.type']).toBe('BoomError');
    expect(failed.events).toEqual([]); // no exception event: its message could quote the diff
    expect(JSON.stringify(spans.map((s) => [s.attributes, s.status, s.events]))).not.toContain(AWS_KEY);
  });

  it('starts no span under a parent the sampler left out, and reviews the same', async () => {
    exporter.reset();
    const unsampled = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE });
    const tracer = provider.getTracer('@lookout/reviewer');
    const modules = [builtInModules.secrets, throwing('todos')];
    const startActiveSpan = vi.spyOn(tracer, 'startActiveSpan');
    const sampledOut = await context.with(trace.setSpan(context.active(), unsampled), () => runReview(DIFF, {}, { ...deps, modules, tracer }));
    expect(startActiveSpan).not.toHaveBeenCalled();
    const traced = await runReview(DIFF, {}, { ...deps, modules, tracer });
    expect(startActiveSpan.mock.calls.map(([name]) => name)).toEqual(['review', 'review.module secrets', 'review.module todos']);
    startActiveSpan.mockRestore();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['review.module secrets', 'review.module todos', 'review']);
    expect(sampledOut.findings).toEqual(traced.findings);
    expect(sampledOut.outcome).toBe('partial');
  });
});

describe('module registry', () => {
  it('implements exactly the modules the catalog declares, under their own names', () => {
    expect(Object.keys(builtInModules)).toEqual([...REVIEW_MODULES]);
    for (const [key, module] of Object.entries(builtInModules)) expect(module.name).toBe(key);
    expect(defaultModules.map((m) => m.name)).toEqual([...REVIEW_MODULES]);
  });
});
