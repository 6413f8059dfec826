import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  exporters: Record<string, { endpoint?: string; headers?: Record<string, string>; retry_on_failure?: { enabled: boolean }; sending_queue?: { enabled: boolean; storage?: string } }>;
  connectors: Record<string, { default_pipelines: string[]; table: { context?: string; condition: string; pipelines: string[] }[] }>;
  extensions: Record<string, { directory?: string; create_directory?: boolean }>;
  service: { extensions: string[]; pipelines: Record<string, Pipeline> };
}

const production = parse(readFileSync(join(REPO_ROOT, 'otel-collector', 'config.yaml'), 'utf8')) as CollectorConfig;

describe('the production config, as a document', () => {
  const generator = join(REPO_ROOT, 'otel-collector', 'tools', 'mask-statements.ts');

  it('has the transform/mask statements the generator writes from the one source (tools/mask-statements.ts --check)', () => {
    expect(() => execFileSync(process.execPath, [generator, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('fails the check on a config whose statements are stale', () => {
    const stale = join(mkdtempSync(join(tmpdir(), 'mask-check-')), 'config.yaml');
    const text = readFileSync(join(REPO_ROOT, 'otel-collector', 'config.yaml'), 'utf8');
    writeFileSync(stale, text.replace('# pem-private-key', '# pem-private-key\n          - \'set(attributes["x"], "stale")\''));
    expect(() => execFileSync(process.execPath, [generator, '--check', '--config', stale], { stdio: 'pipe' })).toThrow(/out of date/);
  });

  it('has --help, and rewrites nothing on --help or on a mistyped flag', () => {
    const stale = join(mkdtempSync(join(tmpdir(), 'mask-help-')), 'config.yaml');
    writeFileSync(stale, readFileSync(join(REPO_ROOT, 'otel-collector', 'config.yaml'), 'utf8').replace('# pem-private-key', '# pem-private-key\n          - \'set(attributes["x"], "stale")\''));
    const before = readFileSync(stale, 'utf8');
    expect(execFileSync(process.execPath, [generator, '--help', '--config', stale], { encoding: 'utf8' })).toMatch(/^Usage: mask-statements[^]*--check[^]*--config <file>/);
    const typo = spawnSync(process.execPath, [generator, '--chek', '--config', stale], { encoding: 'utf8' });
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/unknown option '--chek'\n\(Did you mean --check\?\)/);
    expect(readFileSync(stale, 'utf8')).toBe(before);
  });

  it('puts memory_limiter first in every pipeline fed by the receiver, and masks traces and metrics', () => {
    for (const [name, pipeline] of Object.entries(production.service.pipelines)) {
      if (!pipeline.receivers.includes('otlp')) continue;
      expect(pipeline.processors?.[0], name).toBe('memory_limiter');
    }
    expect(production.service.pipelines.traces?.processors).toContain('transform/mask');
    expect(production.service.pipelines.metrics?.processors).toContain('transform/mask');
  });

  it('routes logs first and masks the app stream only: audit records reach their store as they were hashed', () => {
    const { logs, 'logs/app': app, 'logs/audit': audit } = production.service.pipelines;
    expect(logs?.processors).not.toContain('transform/mask');
    expect(logs?.exporters).toEqual(['routing/logs']);
    expect(app?.processors).toEqual(['transform/mask', 'batch']);
    expect(audit?.processors ?? []).toEqual([]);
  });

  it('gives every network exporter retries and a queue, and the audit exporter a persistent one', () => {
    const network = Object.entries(production.exporters).filter(([name]) => name.startsWith('otlp_http/'));
    expect(network.map(([name]) => name).sort()).toEqual(['otlp_http/logs_app', 'otlp_http/logs_audit', 'otlp_http/traces']);
    for (const [name, exporter] of network) {
      expect(exporter.retry_on_failure?.enabled, name).toBe(true);
      expect(exporter.sending_queue?.enabled, name).toBe(true);
    }
    const storage = production.exporters['otlp_http/logs_audit']?.sending_queue?.storage;
    expect(storage).toBe('file_storage/audit');
    expect(production.extensions['file_storage/audit']?.create_directory).toBe(true);
    expect(production.service.extensions).toContain('file_storage/audit');
  });

  it('sends app logs and audit events to their own VictoriaLogs instance and tenant, traces to Jaeger on :4418', () => {
    const app = production.exporters['otlp_http/logs_app'];
    const audit = production.exporters['otlp_http/logs_audit'];
    expect(app?.endpoint).toBe('${env:LOOKOUT_LOGS_APP_OTLP_ENDPOINT:-http://localhost:9428/insert/opentelemetry}');
    expect(audit?.endpoint).toBe('${env:LOOKOUT_LOGS_AUDIT_OTLP_ENDPOINT:-http://localhost:9429/insert/opentelemetry}');
    expect(app?.headers).toMatchObject({ AccountID: '${env:LOOKOUT_LOGS_APP_ACCOUNT_ID:-1}', ProjectID: '0' });
    expect(audit?.headers).toMatchObject({ AccountID: '${env:LOOKOUT_LOGS_AUDIT_ACCOUNT_ID:-2}', ProjectID: '0' });
    // One stream per service and environment, not per instance (service.instance.id changes on restart).
    for (const exporter of [app, audit]) expect(exporter?.headers?.['VL-Stream-Fields']).toBe('service.name,deployment.environment.name');
    expect(production.exporters['otlp_http/traces']?.endpoint).toBe('${env:LOOKOUT_TRACES_OTLP_ENDPOINT:-http://localhost:4418}');
  });

  it('routes on the audit marker in the log context, to logs/audit only, and never batches audit in memory', () => {
    const routing = production.connectors['routing/logs'];
    expect(routing?.default_pipelines).toEqual(['logs/app']);
    expect(routing?.table).toEqual([
      { context: 'log', condition: 'instrumentation_scope.name == "@lookout/audit" or attributes["log.type"] == "audit"', pipelines: ['logs/audit'] },
    ]);
    expect(production.service.pipelines['logs/audit']?.processors ?? []).not.toContain('batch');
    expect(production.service.pipelines['logs/audit']?.exporters).toEqual(['otlp_http/logs_audit']);
    expect(production.service.pipelines['logs/app']?.exporters).toEqual(['otlp_http/logs_app']);
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
      LOOKOUT_LOGS_APP_OTLP_ENDPOINT: 'https://logs-app.example.internal/insert/opentelemetry',
      LOOKOUT_LOGS_AUDIT_OTLP_ENDPOINT: 'https://logs-audit.example.internal/insert/opentelemetry',
      LOOKOUT_LOGS_APP_ACCOUNT_ID: '11',
      LOOKOUT_LOGS_AUDIT_ACCOUNT_ID: '12',
      LOOKOUT_TRACES_OTLP_ENDPOINT: 'https://jaeger.example.internal:4418',
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
