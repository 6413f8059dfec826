import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envVar, parseEnv } from '@lookout/service-kit/env';
import { BACKENDS, components, PLATFORM, PROBES, portsOf, type StackContext } from './components.ts';
import { startOrder } from './order.ts';
import { REPO_ROOT } from './testing.ts';

const defaults = new Map(components.flatMap(portsOf));
const ctx = (overrides: Partial<StackContext> = {}): StackContext => ({
  repoRoot: REPO_ROOT,
  dataDir: '/data',
  port: (name) => defaults.get(name) ?? 0,
  redisUrl: 'redis://127.0.0.1:6390',
  apiKey: 'lk_test',
  ...overrides,
});
const byName = (name: string) => components.find((c) => c.name === name)!;

describe('components', () => {
  it('listens on the agreed default ports, none twice', () => {
    expect(Object.fromEntries(defaults)).toMatchObject({
      collector: 4318, 'collector.grpc': 4317, 'collector.health': 13133, 'collector.metrics': 8888, 'collector.exporter': 8889,
      prometheus: 9090, alertmanager: 9093, 'logs-app': 9428, 'logs-audit': 9429, 'jaeger.otlp': 4418, jaeger: 16686, 'jaeger.metrics': 8898, 'jaeger.health': 13134,
    });
    const ports = [...defaults.values()];
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('starts the backends before the platform, and the collector after the stores it exports to', () => {
    const names = startOrder(components).map((c) => c.name);
    expect(names).toEqual([...BACKENDS, ...PLATFORM, ...PROBES]);
    expect(startOrder(components, ['collector']).map((c) => c.name)).toEqual(['logs-app', 'logs-audit', 'jaeger', 'collector']);
    expect(startOrder(components, PLATFORM).map((c) => c.name)).toEqual(PLATFORM);
  });

  it('points the services at the stack collector only when the stack runs one', () => {
    const env = (c: StackContext) => byName('reviewer').start(c).env ?? {};
    expect(env(ctx({ otlpEndpoint: 'http://127.0.0.1:4318' })).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:4318');
    expect('OTEL_EXPORTER_OTLP_ENDPOINT' in env(ctx())).toBe(false);
  });

  it('wires the collector to both VictoriaLogs instances and Jaeger on the stack ports, storage in the data dir', () => {
    const env = byName('collector').start(ctx()).env ?? {};
    expect(env).toMatchObject({
      LOOKOUT_LOGS_APP_OTLP_ENDPOINT: 'http://127.0.0.1:9428/insert/opentelemetry',
      LOOKOUT_LOGS_AUDIT_OTLP_ENDPOINT: 'http://127.0.0.1:9429/insert/opentelemetry',
      LOOKOUT_TRACES_OTLP_ENDPOINT: 'http://127.0.0.1:4418',
      LOOKOUT_PROMETHEUS_EXPORTER_ENDPOINT: '127.0.0.1:8889',
      LOOKOUT_COLLECTOR_STORAGE_DIR: '/data/otelcol/storage',
    });
  });

  it('gives each VictoriaLogs instance its own folder and retention (14 days app, 400 days audit)', () => {
    expect(byName('logs-app').start(ctx()).args).toEqual(expect.arrayContaining(['-storageDataPath=/data/logs-app', '-retentionPeriod=14d', '-httpListenAddr=127.0.0.1:9428']));
    expect(byName('logs-audit').start(ctx()).args).toEqual(expect.arrayContaining(['-storageDataPath=/data/logs-audit', '-retentionPeriod=400d', '-httpListenAddr=127.0.0.1:9429']));
  });

  it('runs one Alertmanager (no gossip cluster) on its copy of the config, data in the data dir', () => {
    expect(byName('alertmanager').start(ctx()).args).toEqual([
      '--config.file=/data/alertmanager/alertmanager.yml',
      '--storage.path=/data/alertmanager/data',
      '--web.listen-address=127.0.0.1:9093',
      '--cluster.listen-address=',
    ]);
  });

  it('names a health URL and at least one link for every component', () => {
    for (const component of components) {
      if ('url' in component.ready) expect(component.ready.url(ctx()), component.name).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(Object.keys(component.links(ctx())).length, component.name).toBeGreaterThan(0);
    }
  });

  it('runs Redis where the lookout CLI and the services look by default, so they find it with no flags', () => {
    const cliHelp = spawnSync(process.execPath, [join(REPO_ROOT, 'apps', 'cli', 'src', 'main.ts'), '--help'], { encoding: 'utf8', env: { ...process.env, REDIS_URL: '' } }).stdout;
    expect(cliHelp).toContain(`(default: "redis://127.0.0.1:${defaults.get('redis')}")`);
    expect(parseEnv(z.object({ REDIS_URL: envVar.redisUrl() }), {}).REDIS_URL).toBe(`redis://127.0.0.1:${defaults.get('redis')}`);
  });
});
