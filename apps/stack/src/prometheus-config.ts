import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse, stringify } from 'yaml';

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
interface PrometheusConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  scrape_configs?: StaticConfigs[];
  alerting?: { alertmanagers?: StaticConfigs[] };
}

/**
 * Prometheus expands no environment variables in targets, so a stack on other ports (--port, tests
 * on free ports) runs a copy of deploy/prometheus/prometheus.yml with each target's port mapped
 * from its default (scrape targets and alerting's Alertmanager) and rule_files made absolute (the
 * copy lives in the data dir). Nothing else changes. Returns the copy's path.
 */
export function renderPrometheusConfig({ repoRoot, outFile, portFor, scrapeInterval, ruleFiles }: RenderOptions): string {
  const source = join(repoRoot, PROMETHEUS_CONFIG);
  const config = parse(readFileSync(source, 'utf8')) as PrometheusConfig;
  // Scrape targets and the Alertmanager Prometheus sends alerts to.
  for (const job of [...(config.scrape_configs ?? []), ...(config.alerting?.alertmanagers ?? [])]) {
    for (const group of job.static_configs ?? []) {
      group.targets = (group.targets ?? []).map((target) => {
        const match = /^(.*):(\d+)$/.exec(target);
        const port = match ? portFor(Number(match[2])) : undefined;
        return match && port !== undefined ? `${match[1]}:${port}` : target;
      });
    }
  }
  config.rule_files = ruleFiles ?? (config.rule_files ?? []).map((file) => (isAbsolute(file) ? file : join(dirname(source), file)));
  if (scrapeInterval) config.global = { ...config.global, scrape_interval: scrapeInterval, evaluation_interval: scrapeInterval, scrape_timeout: scrapeInterval };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `# Written by apps/stack from ${PROMETHEUS_CONFIG} with this stack's ports; edit that file, not this one.\n${stringify(config)}`);
  return outFile;
}
