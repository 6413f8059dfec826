import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';
import { otlpSignalUrl, otlpSignalUrlFromEnv } from './otlp-endpoint.ts';

describe('otlpSignalUrl', () => {
  it('takes a signal endpoint exactly as given, else appends /v1/<signal> to the generic one, else to the default', () => {
    expect(otlpSignalUrl('logs', { specific: 'http://c:9/custom', generic: 'http://g:4318' })).toBe('http://c:9/custom');
    expect(otlpSignalUrl('traces', { generic: 'http://g:4318/' })).toBe('http://g:4318/v1/traces');
    expect(otlpSignalUrl('metrics')).toBe('http://localhost:4318/v1/metrics');
  });

  it('is the rule the bootstrap\'s exporters follow', () => {
    for (const env of [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://audit:1/x' }]) {
      for (const signal of ['traces', 'metrics', 'logs'] as const) {
        expect(parseConfig(env).config.otlp[signal].url, JSON.stringify(env)).toBe(otlpSignalUrlFromEnv(signal, env));
      }
    }
  });
});
