// instrumentations.ts's onlyUnderRecordingSpans on the real instrumentation-ioredis, ioredis and Redis.
import { createRequire } from 'node:module';
import { context, trace, TraceFlags, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { AlwaysOnSampler, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { redisMissing, startRedis, type TestRedis } from '@lookout/testkit';
import type { Redis as RedisClient } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onlyUnderRecordingSpans } from './instrumentations.ts';
import { skipUnsampledChildren } from './unsampled-children.ts';

const skip = redisMissing();
const spans = new InMemorySpanExporter();
// As the bootstrap has it: children of unsampled spans skip the SDK (unsampled-children.ts).
const tracing = skipUnsampledChildren(new TracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }));
const tracer = tracing.getTracer('test');
const inSpan = <T>(span: Span, fn: () => Promise<T>) => context.with(trace.setSpan(context.active(), span), fn);
// Called for every command the instrumentation traces, recording or not: counts the work it does.
let traced = 0;
const commandSpans = () => spans.getFinishedSpans().filter((s) => s.instrumentationScope.name === '@opentelemetry/instrumentation-ioredis');

describe.skipIf(skip)('ioredis spans only under recording spans', () => {
  let server: TestRedis;
  let redis: RedisClient;
  let undo: () => void;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const instrumentation = onlyUnderRecordingSpans(new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (name) => name, requestHook: () => void traced++ }));
    undo = registerInstrumentations({ instrumentations: [instrumentation], tracerProvider: tracing });
    // Required after the instrumentation is registered, so its require hook patches ioredis.
    const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    server = await startRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    undo?.();
    context.disable();
  });
  beforeEach(() => {
    spans.reset();
    traced = 0;
  });

  it('traces commands under a recording span, with the command name only', async () => {
    const parent = tracer.startSpan('request');
    await inSpan(parent, async () => {
      await redis.set('k', 'secret-value');
      await redis.multi().set('k2', 'v').get('k2').exec();
    });
    parent.end();
    const names = commandSpans().map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['set', 'multi', 'exec']));
    expect(traced).toBe(names.length);
    const set = commandSpans().find((s) => s.name === 'set');
    expect(set?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(set?.attributes['db.query.text']).toBe('set');
    expect(JSON.stringify(commandSpans().map((s) => s.attributes))).not.toContain('secret-value');
  });

  it('makes no span under an unsampled parent or outside a trace, and the commands still work', async () => {
    const unsampled = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    expect(await inSpan(unsampled, async () => (await redis.set('k3', 'v3'), redis.get('k3')))).toBe('v3');
    expect(await redis.get('k3')).toBe('v3');
    expect(commandSpans()).toEqual([]);
    expect(traced).toBe(0);
  });
});
