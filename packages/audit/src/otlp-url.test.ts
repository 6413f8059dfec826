import { describe, expect, it } from 'vitest';
import { parseConfig } from '@lookout/otel-bootstrap/config';
import { otlpLogsUrl } from './otlp.ts';

describe('the audit sender\'s OTLP logs URL', () => {
  it('is where the bootstrap sends the app\'s logs, for every way the endpoint can be given', () => {
    for (const env of [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://audit:1/x' }]) {
      expect(otlpLogsUrl(env), JSON.stringify(env)).toBe(parseConfig(env).config.otlp.logs.url);
    }
  });
});
