import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectorConfigFiles, collectorMissing, REPO_ROOT, validateCollectorConfig } from '@lookout/testkit';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

interface Pipeline {
  receivers: string[];
  processors?: string[];
  exporters: string[];
}
interface CollectorConfig {
  exporters: Record<string, { retry_on_failure?: { enabled: boolean }; sending_queue?: { enabled: boolean; storage?: string } }>;
  connectors: Record<string, { default_pipelines: string[]; table: { context?: string; condition: string; pipelines: string[] }[] }>;
  extensions: Record<string, { directory?: string; create_directory?: boolean }>;
  service: { extensions: string[]; pipelines: Record<string, Pipeline> };
}

const production = parse(readFileSync(join(REPO_ROOT, 'otel-collector', 'config.yaml'), 'utf8')) as CollectorConfig;

describe('the production config, as a document', () => {
  it('has the transform/mask statements the generator writes (tools/mask-statements.mjs --check)', () => {
    expect(() => execFileSync(process.execPath, [join(REPO_ROOT, 'otel-collector', 'tools', 'mask-statements.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('puts memory_limiter first and masking before any exporter in every pipeline fed by the receiver', () => {
    for (const [name, pipeline] of Object.entries(production.service.pipelines)) {
      if (!pipeline.receivers.includes('otlp')) continue;
      expect(pipeline.processors?.[0], name).toBe('memory_limiter');
      expect(pipeline.processors, name).toContain('transform/mask');
    }
  });

  it('gives every network exporter retries and a queue, and the audit exporter a persistent one', () => {
    const network = Object.entries(production.exporters).filter(([name]) => name.startsWith('otlp_http/'));
    expect(network.map(([name]) => name).sort()).toEqual(['otlp_http/loki_app', 'otlp_http/loki_audit', 'otlp_http/tempo']);
    for (const [name, exporter] of network) {
      expect(exporter.retry_on_failure?.enabled, name).toBe(true);
      expect(exporter.sending_queue?.enabled, name).toBe(true);
    }
    const storage = production.exporters['otlp_http/loki_audit']?.sending_queue?.storage;
    expect(storage).toBe('file_storage/audit');
    expect(production.extensions['file_storage/audit']?.create_directory).toBe(true);
    expect(production.service.extensions).toContain('file_storage/audit');
  });

  it('routes on the audit marker in the log context, to logs/audit only, and never batches audit in memory', () => {
    const routing = production.connectors['routing/logs'];
    expect(routing?.default_pipelines).toEqual(['logs/app']);
    expect(routing?.table).toEqual([
      { context: 'log', condition: 'instrumentation_scope.name == "@lookout/audit" or attributes["log.type"] == "audit"', pipelines: ['logs/audit'] },
    ]);
    expect(production.service.pipelines['logs/audit']?.processors ?? []).not.toContain('batch');
    expect(production.service.pipelines['logs/audit']?.exporters).toEqual(['otlp_http/loki_audit']);
    expect(production.service.pipelines['logs/app']?.exporters).toEqual(['otlp_http/loki_app']);
  });
});

const skip = collectorMissing();

describe.skipIf(skip)('otelcol validate (real binary)', () => {
  it('accepts the production config with its defaults', async () => {
    const result = await validateCollectorConfig('production');
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('accepts the production config with every endpoint overridden from the environment', async () => {
    const result = await validateCollectorConfig('production', {
      LOKI_OTLP_ENDPOINT: 'https://loki.example.internal/otlp',
      LOKI_APP_TENANT: 'lookout-app',
      LOKI_AUDIT_TENANT: 'lookout-audit',
      TEMPO_OTLP_ENDPOINT: 'https://tempo.example.internal:4418',
      LOOKOUT_OTLP_HTTP_PORT: '14318',
      LOOKOUT_COLLECTOR_METRICS_PORT: '18888',
    });
    expect(result.ok, result.output).toBe(true);
  });

  it('accepts test mode (production + overlay)', async () => {
    const result = await validateCollectorConfig('test', { LOOKOUT_COLLECTOR_OUT_DIR: '/tmp/lookout-validate' });
    expect(result.ok, result.output).toBe(true);
    expect(collectorConfigFiles('test')).toHaveLength(2);
  });

  it('rejects a config with a typo in a field name (so the checks above mean something)', async () => {
    const bad = join(REPO_ROOT, 'otel-collector', 'test', 'fixtures', 'typo.yaml');
    const result = await validateCollectorConfig(['production', bad].flatMap((c) => collectorConfigFiles(c)));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('metric_expirationn');
  });
});
