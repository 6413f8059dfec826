// Prometheus: the loaded config (/api/v1/status/config) against deploy/prometheus/prometheus.yml
// rendered as the stack renders it, and the evaluated rule groups against the rule files.
import { parse } from 'yaml';
import { fetchJson } from './http.ts';
import { durationMs, normalise, type Tree } from './normalise.ts';
import { PROMETHEUS_RULES } from './prometheus-defaults.ts';
import { readPrometheusSource, renderPrometheus, type PrometheusConfig } from './prometheus-config.ts';
import { asTree, deployedRuleGroups, expectedRuleGroups, reconcileSpelling } from './prometheus-rules.ts';
import { readRenderRecord, type PrometheusRender } from './render-record.ts';
import { diffTrees } from './diff.ts';
import { driftedObjects, resultOf, type ComponentResult, type DriftedObject } from './report.ts';

export interface TargetCheck {
  repoRoot: string;
  /** The stack's data dir (its render.json files); none: the committed files as they are (compose). */
  dataDir?: string;
  /** Base URL of the server, e.g. http://127.0.0.1:9090. */
  url: string;
  /** Per request; default 5000 ms. */
  timeoutMs?: number;
  /** Bearer token for the server's API (Grafana); never part of a message. */
  token?: string;
  /** Where the token came from, named when it is refused (e.g. `LOOKOUT_GRAFANA_TOKEN`). */
  tokenSource?: string;
}

/** A scrape job's interval and timeout left out when they are its global's: the change is reported once, on global. */
function withoutInheritedIntervals(config: PrometheusConfig): PrometheusConfig {
  const global = config.global ?? {};
  const same = (a: unknown, b: unknown) => durationMs(String(a)) === durationMs(String(b));
  return {
    ...config,
    scrape_configs: (config.scrape_configs ?? []).map((job) => {
      const { scrape_interval, scrape_timeout, ...rest } = job as Record<string, unknown>;
      return {
        ...rest,
        ...(scrape_interval === undefined || same(scrape_interval, global.scrape_interval ?? '1m') ? {} : { scrape_interval }),
        ...(scrape_timeout === undefined || same(scrape_timeout, global.scrape_timeout ?? '10s') ? {} : { scrape_timeout }),
      };
    }) as PrometheusConfig['scrape_configs'],
  };
}

const canonical = (config: PrometheusConfig) => normalise(withoutInheritedIntervals(config) as Tree, PROMETHEUS_RULES);

export async function checkPrometheus({ repoRoot, dataDir, url, timeoutMs = 5000 }: TargetCheck): Promise<ComponentResult> {
  const source = readPrometheusSource(repoRoot);
  const render = readRenderRecord<PrometheusRender>(dataDir, 'prometheus') ?? { ports: {} };
  const expected = renderPrometheus(source, repoRoot, render);
  const [loaded, deployedGroups] = await Promise.all([
    fetchJson<{ data?: { yaml?: string } }>('prometheus', `${url}/api/v1/status/config`, timeoutMs).then((b) => parse(b.data?.yaml ?? '') as PrometheusConfig),
    deployedRuleGroups(url, timeoutMs),
  ]);
  const drifted = driftedObjects('prometheus', canonical(expected), canonical(loaded), ['scrape_configs']);
  const expectedGroups = expectedRuleGroups(repoRoot, source, expected);
  await reconcileSpelling(expectedGroups, deployedGroups, url, timeoutMs);
  const [e, d] = [asTree(expectedGroups) as Record<string, Tree>, asTree(deployedGroups) as Record<string, Tree>];
  const groups: DriftedObject[] = [...new Set([...Object.keys(e), ...Object.keys(d)])].sort().flatMap((name) => {
    const changes = diffTrees(e[name], d[name]);
    return changes.length ? [{ section: 'rule_groups' as const, object: `rule_groups/${name}`, changes }] : [];
  });
  return resultOf('prometheus', url, [...drifted, ...groups]);
}
