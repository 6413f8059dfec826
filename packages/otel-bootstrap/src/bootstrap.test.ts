import { metrics, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bootstrap } from './bootstrap.ts';
import { getMeter, isBootstrapped, shutdown } from './index.ts';
import { getState, resetStateForTests } from './state.ts';

describe('bootstrap', () => {
  let stderr: string[];
  beforeEach(() => {
    resetStateForTests();
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    await shutdown();
    resetStateForTests();
  });

  it('does nothing but parse the config when OTEL_SDK_DISABLED=true', () => {
    const state = bootstrap({ env: { OTEL_SDK_DISABLED: 'true' }, esmHooks: false, signals: false });
    expect(state.config?.disabled).toBe(true);
    expect(state.sdk).toBeUndefined();
    expect(isBootstrapped()).toBe(false);
  });

  it('warns once per bad value on stderr as a JSON line, and still starts', () => {
    const state = bootstrap({
      env: { OTEL_TRACES_SAMPLER_ARG: 'lots', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
      esmHooks: false,
      signals: false,
    });
    expect(state.sdk).toBeDefined();
    const lines = stderr.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', component: 'otel-bootstrap', variable: 'OTEL_TRACES_SAMPLER_ARG', value: 'lots', using: '0.1' });
  });

  it('is idempotent: a second load returns the first state and starts nothing', () => {
    const env = { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_SDK_DISABLED: 'false' };
    const first = bootstrap({ env, esmHooks: false, signals: false });
    const providerAfterFirst = trace.getTracerProvider();
    const second = bootstrap({ env: { ...env, OTEL_TRACES_SAMPLER_ARG: 'bad-but-ignored' }, esmHooks: false, signals: false });
    expect(second).toBe(first);
    expect(second.sdk).toBe(first.sdk);
    expect(getState()).toBe(first);
    expect(trace.getTracerProvider()).toBe(providerAfterFirst);
    // The second call did not even parse its (bad) environment.
    expect(stderr.join('')).not.toContain('OTEL_TRACES_SAMPLER_ARG');
    expect(isBootstrapped()).toBe(true);
    expect(getMeter()).toBe(metrics.getMeter('@lookout/app'));
  });
});
