// Rule groups: the repository's rule files against what Prometheus evaluates (/api/v1/rules).
// Both sides become { "<file name>/<group>": { interval, limit, rules: { "<alert|record>#n": … } } }.
// PromQL is compared by meaning: texts that differ beyond whitespace go through the server's own
// formatter (/api/v1/format_query) on both sides, so `sum(x) by (job)` equals `sum by (job) (x)`.
import { globSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { fetchJson } from './http.ts';
import { durationMs, formatDuration, type Tree } from './normalise.ts';
import { PROMETHEUS_CONFIG, type PrometheusConfig } from './prometheus-config.ts';

interface CanonicalRule {
  type: 'alerting' | 'recording';
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface CanonicalGroup {
  interval: string;
  limit?: number;
  rules: Record<string, CanonicalRule>;
}
export type RuleGroups = Record<string, CanonicalGroup>;

/** Labels and annotations as Prometheus holds them: strings (YAML may say `priority: 1`), none when empty. */
const nonEmpty = (map: Record<string, unknown> | null | undefined) =>
  map && Object.keys(map).length ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)])) : undefined;
const seconds = (s: number | undefined) => (s ? formatDuration(s * 1000) : undefined);
const duration = (text: string | undefined) => (text === undefined ? undefined : formatDuration(durationMs(text) ?? 0));

/** Rules keyed by name and occurrence (LookoutServiceDown#1, #2, …), so one added rule is one change. */
function keyed(rules: (CanonicalRule & { name: string })[]): Record<string, CanonicalRule> {
  const seen = new Map<string, number>();
  const out: Record<string, CanonicalRule> = {};
  for (const { name, ...rule } of rules) {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    out[`${name}#${n}`] = JSON.parse(JSON.stringify(rule)) as CanonicalRule;
  }
  return out;
}

interface FileRule { alert?: string; record?: string; expr: string | number; for?: string; keep_firing_for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
interface FileGroup { name: string; interval?: string; limit?: number; rules?: FileRule[] }

/**
 * The repository's rule files (the globs of deploy/prometheus/prometheus.yml), canonical. A group
 * without its own interval runs at the rendered config's evaluation_interval (a test stack's 1s).
 */
export function expectedRuleGroups(repoRoot: string, source: PrometheusConfig, rendered: PrometheusConfig): RuleGroups {
  const dir = dirname(join(repoRoot, PROMETHEUS_CONFIG));
  const interval = duration(String(rendered.global?.evaluation_interval ?? '1m'))!;
  const groups: RuleGroups = {};
  for (const pattern of source.rule_files ?? []) {
    for (const file of globSync(isAbsolute(pattern) ? pattern : join(dir, pattern)).sort()) {
      const parsed = parse(readFileSync(file, 'utf8')) as { groups?: FileGroup[] } | null;
      for (const group of parsed?.groups ?? []) {
        groups[`${basename(file)}/${group.name}`] = {
          interval: group.interval ? duration(group.interval)! : interval,
          ...(group.limit ? { limit: group.limit } : {}),
          rules: keyed((group.rules ?? []).map((r) => ({
            name: r.alert ?? r.record ?? '',
            type: r.alert ? 'alerting' : 'recording',
            expr: String(r.expr).trim(),
            for: r.for && durationMs(r.for) ? duration(r.for) : undefined,
            keep_firing_for: r.keep_firing_for && durationMs(r.keep_firing_for) ? duration(r.keep_firing_for) : undefined,
            labels: nonEmpty(r.labels),
            annotations: nonEmpty(r.annotations),
          }))),
        };
      }
    }
  }
  return groups;
}

interface ApiRule { name: string; query: string; type: 'alerting' | 'recording'; duration?: number; keepFiringFor?: number; labels?: Record<string, string> | null; annotations?: Record<string, string> | null }
interface ApiGroup { name: string; file: string; interval: number; limit?: number; rules: ApiRule[] }

/** What Prometheus evaluates, canonical. */
export async function deployedRuleGroups(url: string, timeoutMs: number): Promise<RuleGroups> {
  const body = await fetchJson<{ data?: { groups?: ApiGroup[] } }>('prometheus', `${url}/api/v1/rules`, timeoutMs);
  const groups: RuleGroups = {};
  for (const group of body.data?.groups ?? []) {
    groups[`${basename(group.file)}/${group.name}`] = {
      interval: seconds(group.interval) ?? '0s',
      ...(group.limit ? { limit: group.limit } : {}),
      rules: keyed(group.rules.map((r) => ({
        name: r.name,
        type: r.type,
        expr: r.query,
        for: seconds(r.duration),
        keep_firing_for: seconds(r.keepFiringFor),
        labels: nonEmpty(r.labels),
        annotations: nonEmpty(r.annotations),
      }))),
    };
  }
  return groups;
}

/** PromQL without whitespace outside string literals: equal texts need no formatter. */
const squeezed = (expr: string) => expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\s+/g, (m) => (/^\s/.test(m) ? '' : m));

/**
 * Where a rule's expression differs from its deployed twin only in spelling, replaces the expected
 * text by the deployed one, after both went through the server's formatter and came out equal.
 */
export async function reconcileSpelling(expected: RuleGroups, deployed: RuleGroups, url: string, timeoutMs: number): Promise<void> {
  const formatted = new Map<string, Promise<string>>();
  const format = (query: string) => {
    let result = formatted.get(query);
    if (!result) {
      result = fetchJson<{ data?: string }>('prometheus', `${url}/api/v1/format_query`, timeoutMs, { form: { query } }).then((b) => b.data ?? query, () => query);
      formatted.set(query, result);
    }
    return result;
  };
  const pairs = Object.entries(expected).flatMap(([group, g]) => Object.entries(g.rules).map(([key, rule]) => [rule, deployed[group]?.rules[key]] as const));
  await Promise.all(pairs.map(async ([rule, twin]) => {
    if (!twin || rule.expr === twin.expr || squeezed(rule.expr) === squeezed(twin.expr)) {
      if (twin) rule.expr = twin.expr;
      return;
    }
    if ((await format(rule.expr)) === (await format(twin.expr))) rule.expr = twin.expr;
  }));
}

export const asTree = (groups: RuleGroups): Tree => JSON.parse(JSON.stringify(groups)) as Tree;
