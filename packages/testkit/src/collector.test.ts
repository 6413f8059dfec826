import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectorBinary, collectorConfigFiles, collectorMissing, REPO_ROOT, startCollector, validateCollectorConfig,
  type TestCollector,
} from './collector.ts';
import { waitUntil } from '@lookout/process-kit';

describe('collector helpers (no binary needed)', () => {
  it('test mode is the production config plus the test overlay, in that order', () => {
    expect(collectorConfigFiles('test')).toEqual([
      join(REPO_ROOT, 'otel-collector', 'config.yaml'),
      join(REPO_ROOT, 'otel-collector', 'config.test.yaml'),
    ]);
    expect(collectorConfigFiles('production')).toEqual([join(REPO_ROOT, 'otel-collector', 'config.yaml')]);
    expect(collectorConfigFiles('/tmp/a.yaml')).toEqual(['/tmp/a.yaml']);
  });

  it('finds the binary under LOOKOUT_CACHE_DIR with the version pinned in deploy/versions.json', () => {
    const saved = { cache: process.env.LOOKOUT_CACHE_DIR, override: process.env.LOOKOUT_OTELCOL };
    try {
      delete process.env.LOOKOUT_OTELCOL;
      process.env.LOOKOUT_CACHE_DIR = '/somewhere';
      expect(collectorBinary()).toMatch(/^\/somewhere\/bin\/otelcol-\d+\.\d+\.\d+$/);
    } finally {
      if (saved.cache === undefined) delete process.env.LOOKOUT_CACHE_DIR;
      else process.env.LOOKOUT_CACHE_DIR = saved.cache;
      if (saved.override !== undefined) process.env.LOOKOUT_OTELCOL = saved.override;
    }
  });

  it('a missing binary is a skip reason locally and a failure naming otelcol and the build command under CI', () => {
    const saved = { ci: process.env.CI, override: process.env.LOOKOUT_OTELCOL };
    process.env.LOOKOUT_OTELCOL = '/nonexistent/otelcol-0.0.0';
    try {
      delete process.env.CI;
      expect(collectorMissing()).toContain('scripts/backends/build.sh otelcol');
      process.env.CI = 'true';
      expect(() => collectorMissing()).toThrow(/\[CI\] otelcol is missing: .*bash scripts\/backends\/build\.sh otelcol/);
    } finally {
      if (saved.ci === undefined) delete process.env.CI;
      else process.env.CI = saved.ci;
      if (saved.override === undefined) delete process.env.LOOKOUT_OTELCOL;
      else process.env.LOOKOUT_OTELCOL = saved.override;
    }
  });
});

const skip = collectorMissing();

describe.skipIf(skip)('startCollector (real otelcol)', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startCollector({ config: 'test' });
  });
  afterAll(() => collector?.stop());

  it('validateCollectorConfig reports a broken config with the reason', async () => {
    const result = await validateCollectorConfig(join(REPO_ROOT, 'otel-collector', 'config.test.yaml'));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('must have at least one receiver');
  });

  it('answers health, serves self-telemetry and writes what it receives to outDir', async () => {
    expect((await fetch(collector.healthUrl)).status).toBe(200);
    const response = await fetch(`${collector.otlpHttpUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceLogs: [{ scopeLogs: [{ scope: { name: 'testkit' }, logRecords: [{ body: { stringValue: 'hello from testkit' } }] }] }],
      }),
    });
    expect(response.status).toBe(200);
    const lines = await waitUntil('the log in logs.jsonl', () => {
      const all = collector.read('logs');
      return JSON.stringify(all).includes('hello from testkit') && all;
    });
    expect(lines.length).toBeGreaterThan(0);
    const selfMetrics = await (await fetch(collector.metricsUrl)).text();
    expect(selfMetrics).toContain('otelcol_receiver_accepted_log_records');
  });

  it('restart keeps the ports and the output folder; kill leaves the process dead', async () => {
    await collector.restart();
    expect((await fetch(collector.healthUrl)).status).toBe(200);
    expect(existsSync(join(collector.outDir, 'otelcol.log'))).toBe(true);
    await collector.kill();
    expect(collector.process.child.signalCode).toBe('SIGKILL');
    await collector.restart();
    expect((await fetch(collector.healthUrl)).status).toBe(200);
  });
});
