import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { missingPart } from '@lookout/testkit';
import { binaryPath } from './binaries.ts';
import { components, portsOf } from './components.ts';
import { renderPrometheusConfig } from '@lookout/deploy-config';
import { REPO_ROOT } from './testing.ts';

interface Scrape {
  job_name: string;
  honor_labels?: boolean;
  static_configs: { targets: string[] }[];
  metric_relabel_configs?: { regex: string; action: string }[];
}
const source = parse(readFileSync(join(REPO_ROOT, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as {
  global: Record<string, string>;
  rule_files: string[];
  scrape_configs: Scrape[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
};
const targetsOf = (config: { scrape_configs: Scrape[] }, job: string) => config.scrape_configs.find((s) => s.job_name === job)?.static_configs.flatMap((g) => g.targets) ?? [];
const outDir = mkdtempSync(join(tmpdir(), 'lookout-prometheus-config-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('deploy/prometheus/prometheus.yml', () => {
  it('follows ADR 0002: the collector exporter with honor_labels, its own metrics, and never a service', () => {
    const defaults = new Map(components.flatMap(portsOf));
    const exporter = source.scrape_configs.find((s) => s.job_name === 'otel-collector-exporter');
    expect(exporter?.honor_labels).toBe(true);
    expect(targetsOf(source, 'otel-collector-exporter')).toEqual([`127.0.0.1:${defaults.get('collector.exporter')}`]);
    expect(targetsOf(source, 'otel-collector')).toEqual([`127.0.0.1:${defaults.get('collector.metrics')}`]);
    expect(targetsOf(source, 'prometheus')).toEqual([`127.0.0.1:${defaults.get('prometheus')}`]);
    expect(targetsOf(source, 'victorialogs')).toEqual([`127.0.0.1:${defaults.get('logs-app')}`, `127.0.0.1:${defaults.get('logs-audit')}`]);
    expect(targetsOf(source, 'jaeger')).toEqual([`127.0.0.1:${defaults.get('jaeger.metrics')}`]);
    expect(targetsOf(source, 'alertmanager')).toEqual([`127.0.0.1:${defaults.get('alertmanager')}`]);
    expect(source.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((g) => g.targets))).toEqual([`127.0.0.1:${defaults.get('alertmanager')}`]);
    const servicePorts = ['reviewer', 'worker', 'mcp-server'].map((s) => `:${defaults.get(s)}`);
    const all = source.scrape_configs.flatMap((s) => s.static_configs.flatMap((g) => g.targets));
    expect(all.filter((t) => servicePorts.some((p) => t.endsWith(p)))).toEqual([]);
    expect(source.global.scrape_interval).toBe('15s');
  });

  it('keeps target_info for pushed services only (lookout:service_up counts it)', () => {
    for (const job of ['otel-collector', 'jaeger']) {
      expect(source.scrape_configs.find((s) => s.job_name === job)?.metric_relabel_configs, job).toEqual([expect.objectContaining({ regex: 'target_info', action: 'drop' })]);
    }
  });
});

describe('renderPrometheusConfig', () => {
  it("maps each target's default port to the stack's, makes rule files absolute, and can shorten the interval", () => {
    const file = renderPrometheusConfig({
      repoRoot: REPO_ROOT,
      outFile: join(outDir, 'prometheus.yml'),
      portFor: (port) => (port === 8889 ? 41889 : port === 9429 ? 41429 : port === 9093 ? 41093 : undefined),
      scrapeInterval: '1s',
    });
    const rendered = parse(readFileSync(file, 'utf8')) as typeof source;
    expect(targetsOf(rendered, 'otel-collector-exporter')).toEqual(['127.0.0.1:41889']);
    expect(targetsOf(rendered, 'victorialogs')).toEqual(['127.0.0.1:9428', '127.0.0.1:41429']);
    expect(rendered.rule_files).toEqual([join(REPO_ROOT, 'deploy', 'prometheus', 'rules', '*.yml')]);
    expect(rendered.global).toMatchObject({ scrape_interval: '1s', evaluation_interval: '1s' });
    expect(rendered.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual(['127.0.0.1:41093']);
    // Everything else is the source, unchanged.
    expect(rendered.scrape_configs.map((s) => s.job_name)).toEqual(source.scrape_configs.map((s) => s.job_name));
  });

  it('takes other rule files when asked (the end-to-end test\'s compressed SLO windows)', () => {
    const file = renderPrometheusConfig({ repoRoot: REPO_ROOT, outFile: join(outDir, 'rules.yml'), portFor: () => undefined, ruleFiles: ['/tmp/a.yml', '/tmp/b.yml'] });
    expect((parse(readFileSync(file, 'utf8')) as typeof source).rule_files).toEqual(['/tmp/a.yml', '/tmp/b.yml']);
  });
});

const promtool = binaryPath(REPO_ROOT, { component: 'prometheus', command: 'promtool' });
const skip = missingPart('promtool', existsSync(promtool), `build it with \`bash scripts/backends/build.sh prometheus\` (looked for ${promtool})`);
const run = (args: string[]) =>
  new Promise<{ ok: boolean; output: string }>((done) => execFile(promtool, args, { timeout: 30_000 }, (error, stdout, stderr) => done({ ok: !error, output: `${stdout}${stderr}` })));

describe.skipIf(skip)('promtool (real binary)', () => {
  it('accepts the rules file and the config, and the config as the stack renders it', async () => {
    const rules = await run(['check', 'rules', join(REPO_ROOT, 'deploy', 'prometheus', 'rules', 'liveness.yml')]);
    expect(rules.ok, rules.output).toBe(true);
    expect(rules.output).toContain('1 rules found');
    const config = await run(['check', 'config', join(REPO_ROOT, 'deploy', 'prometheus', 'prometheus.yml')]);
    expect(config.ok, config.output).toBe(true);
    const rendered = renderPrometheusConfig({ repoRoot: REPO_ROOT, outFile: join(outDir, 'rendered.yml'), portFor: () => 40000 });
    const check = await run(['check', 'config', rendered]);
    expect(check.ok, check.output).toBe(true);
    expect(check.output).toMatch(/\d+ rule files found/);
    expect(check.output).not.toMatch(/FAILED/);
  });

  it('records lookout:service_up as 1 per live job and nothing for a job without target_info', async () => {
    const test = join(outDir, 'liveness.test.yml');
    writeFileSync(
      test,
      [
        'rule_files:',
        `  - ${join(REPO_ROOT, 'deploy', 'prometheus', 'rules', 'liveness.yml')}`,
        'evaluation_interval: 15s',
        'tests:',
        '  - interval: 15s',
        '    input_series:',
        "      - series: 'target_info{job=\"reviewer\", instance=\"a\"}'",
        "        values: '1 1 1'",
        "      - series: 'target_info{job=\"reviewer\", instance=\"b\"}'",
        "        values: '1 1 1'",
        "      - series: 'target_info{job=\"worker\", instance=\"c\"}'",
        "        values: '1 stale'", // the exporter dropped it: Prometheus marks it stale at the next scrape
        '    promql_expr_test:',
        "      - expr: 'lookout:service_up'",
        '        eval_time: 30s',
        '        exp_samples:',
        "          - labels: 'lookout:service_up{job=\"reviewer\"}'",
        '            value: 1',
        "      - expr: 'absent(lookout:service_up{job=\"worker\"})'",
        '        eval_time: 30s',
        '        exp_samples:',
        "          - labels: '{job=\"worker\"}'",
        '            value: 1',
        '',
      ].join('\n'),
    );
    const result = await run(['test', 'rules', test]);
    expect(result.ok, result.output).toBe(true);
  });
});
