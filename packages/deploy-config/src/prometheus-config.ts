import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeRenderRecord, type PrometheusRender } from './render-record.ts';

export const PROMETHEUS_CONFIG = join('deploy', 'prometheus', 'prometheus.yml');

export interface RenderOptions {
  repoRoot: string;
  /** Where the copy goes (the stack's data dir). */
  outFile: string;
  /** The port now wanted for a default port found in a target (e.g. 8889 -> 41234), or undefined to keep it. */
  portFor(defaultPort: number): number | undefined;
  /** Overrides global scrape_interval and evaluation_interval (tests: '1s'). Default: the file's 15s. */
  scrapeInterval?: string;
  /** Replaces rule_files (tests: SLO rules generated on compressed windows). Default: the file's. */
  ruleFiles?: string[];
}

interface StaticConfigs {
  static_configs?: { targets?: string[] }[];
}
export interface PrometheusConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  scrape_configs?: StaticConfigs[];
  alerting?: { alertmanagers?: StaticConfigs[] };
}

/** Every static target of the config: scrape targets and the Alertmanagers alerts go to. */
function staticGroups(config: PrometheusConfig) {
  return [...(config.scrape_configs ?? []), ...(config.alerting?.alertmanagers ?? [])].flatMap((job) => job.static_configs ?? []);
}

const TARGET = /^(.*):(\d+)$/;

/** The repository's deploy/prometheus/prometheus.yml, parsed. */
export function readPrometheusSource(repoRoot: string): PrometheusConfig {
  return parse(readFileSync(join(repoRoot, PROMETHEUS_CONFIG), 'utf8')) as PrometheusConfig;
}

/**
 * The stack's transformation, without writing anything: each target's port mapped from its default
 * (`render.ports`, default port -> port), rule_files made absolute against deploy/prometheus (or
 * replaced), and the intervals overridden. The drift check renders the expected config with this.
 */
export function renderPrometheus(source: PrometheusConfig, repoRoot: string, render: PrometheusRender): PrometheusConfig {
  const config = structuredClone(source);
  for (const group of staticGroups(config)) {
    group.targets = (group.targets ?? []).map((target) => {
      const match = TARGET.exec(target);
      const port = match ? render.ports[match[2]!] : undefined;
      return match && port !== undefined ? `${match[1]}:${port}` : target;
    });
  }
  const sourceDir = dirname(join(repoRoot, PROMETHEUS_CONFIG));
  config.rule_files = render.ruleFiles ?? (config.rule_files ?? []).map((file) => (isAbsolute(file) ? file : join(sourceDir, file)));
  const interval = render.scrapeInterval;
  if (interval) config.global = { ...config.global, scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval };
  return config;
}

/**
 * Prometheus expands no environment variables in targets, so a stack on other ports (--port, tests
 * on free ports) runs a copy of deploy/prometheus/prometheus.yml with each target's port mapped
 * from its default (scrape targets and alerting's Alertmanager) and rule_files made absolute (the
 * copy lives in the data dir). Nothing else changes. Beside the copy goes render.json, the options
 * it was rendered with, so `lookout drift` can render the same expectation. Returns the copy's path.
 */
export function renderPrometheusConfig({ repoRoot, outFile, portFor, scrapeInterval, ruleFiles }: RenderOptions): string {
  const source = readPrometheusSource(repoRoot);
  const ports: Record<string, number> = {};
  for (const target of staticGroups(source).flatMap((group) => group.targets ?? [])) {
    const match = TARGET.exec(target);
    const port = match ? portFor(Number(match[2])) : undefined;
    if (match && port !== undefined) ports[match[2]!] = port;
  }
  const render: PrometheusRender = { ports, ...(scrapeInterval ? { scrapeInterval } : {}), ...(ruleFiles ? { ruleFiles } : {}) };
  const config = renderPrometheus(source, repoRoot, render);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `# Written by apps/stack from ${PROMETHEUS_CONFIG} with this stack's ports; edit that file, not this one.\n${stringify(config)}`);
  writeRenderRecord(outFile, render);
  return outFile;
}
