// "A rule that references a non-existent metric fails the build": every metric name in every
// PromQL expression of the rules and runbooks must be in packages/catalog/metrics_inventory.json
// (as stored: prometheus_series, standard and backend metrics) or be a recording rule defined here.
import { readFileSync } from 'node:fs';
import { INVENTORY_FILE } from './paths.ts';
import { parsePromql, type Selector } from './promql.ts';

interface InventoryFile {
  metrics: { prometheus_series: string[] }[];
  standard_metrics: { prometheus_series: string[] }[];
  backend_metrics: { prometheus_name: string; conditional: boolean }[];
}

/** Inventory metrics that only appear after a failure (also listed by the stack's own tests). */
// lookout_slo_report_age_seconds: no series until the worker's scheduled report wrote its first file.
const CONDITIONAL_INVENTORY = ['lookout_review_module_failures_total', 'lookout_telemetry_dropped_total', 'lookout_canary_failures_total', 'lookout_slo_report_age_seconds'];

export interface KnownMetrics {
  names: Set<string>;
  /** Names that may legitimately have no series on a healthy stack. */
  conditional: Set<string>;
}

export function knownMetrics(file: string = INVENTORY_FILE): KnownMetrics {
  const inventory = JSON.parse(readFileSync(file, 'utf8')) as InventoryFile;
  const names = new Set([
    ...inventory.metrics.flatMap((m) => m.prometheus_series),
    ...inventory.standard_metrics.flatMap((m) => m.prometheus_series),
    ...inventory.backend_metrics.map((m) => m.prometheus_name),
  ]);
  const conditional = new Set([...CONDITIONAL_INVENTORY, ...inventory.backend_metrics.filter((m) => m.conditional).map((m) => m.prometheus_name)]);
  return { names, conditional };
}

export interface Expression {
  /** Where it comes from, for messages: "rules/alerts.yml: TelemetryDropped". */
  where: string;
  query: string;
}

/** One problem per unparsable expression or unknown metric name. */
export function metricProblems(expressions: readonly Expression[], known: KnownMetrics, recorded: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const { where, query } of expressions) {
    const parsed = parsePromql(query);
    if (parsed.errors.length > 0) problems.push(`${where}: PromQL does not parse (at character ${parsed.errors[0]}): ${query.slice(0, 120)}`);
    for (const selector of parsed.selectors) {
      if (!selector.exact) problems.push(`${where}: ${selector.text} selects no exact metric name, so it cannot be checked`);
      else if (!known.names.has(selector.name) && !recorded.has(selector.name)) {
        problems.push(`${where}: ${selector.name} is neither in packages/catalog/metrics_inventory.json nor a recording rule in deploy/prometheus/rules`);
      }
    }
  }
  return problems;
}

/** The distinct selectors of real (not recorded) metrics the expressions read. */
export function metricSelectors(expressions: readonly Expression[], recorded: ReadonlySet<string>): Selector[] {
  const seen = new Map<string, Selector>();
  for (const { query } of expressions) {
    for (const selector of parsePromql(query).selectors) if (!recorded.has(selector.name)) seen.set(selector.text, selector);
  }
  return [...seen.values()];
}
