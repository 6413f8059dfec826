// Checks a dashboard JSON as Grafana's file provider would read it, without Grafana: the shape of
// the classic dashboard model (schemaVersion, panels with ids, types, positions on the 24-column
// grid), every data source uid provisioned with the same plugin type, every variable a query uses
// defined, every PromQL query parsing with Prometheus's own grammar and reading only metrics that
// exist, and every Explore data link decoding to a provisioned data source.
import { parsePromql } from '@lookout/slo';

export interface PanelJson {
  id?: number;
  type?: string;
  title?: string;
  description?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Record<string, unknown>[];
  fieldConfig?: { defaults?: { links?: { title?: string; url?: string }[] } };
  repeat?: string;
}

export interface DashboardJson {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: PanelJson[];
  templating?: { list?: { name: string; type: string; query?: string; datasource?: { uid?: string; type?: string } }[] };
}

export interface ValidationContext {
  /** Provisioned data sources: uid -> plugin type. */
  datasources: ReadonlyMap<string, string>;
  /** Metric names Prometheus stores (inventory) plus recording rules. */
  metrics: ReadonlySet<string>;
}

/** Variables Grafana itself defines: $__rate_interval, ${__from}, ${__field.labels.job}, ... */
const BUILTIN = /^__/;
const PANEL_TYPES = new Set(['row', 'timeseries', 'stat', 'table', 'text', 'logs', 'gauge', 'bargauge', 'traces']);
const VARIABLE = /\$(?:\{([A-Za-z_][\w.]*)(?::[\w]+)?\}|([A-Za-z_]\w*))/g;

/** The names of the variables a string refers to ($x, ${x}, ${x:format}). */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => (m[1] ?? m[2])!.split('.')[0]!);
}

/** The text of a query, by data source type: PromQL expr, LogsQL expr, or the Jaeger service searched. */
export function queryText(target: Record<string, unknown>): string {
  return String(target.expr ?? target.service ?? target.query ?? '');
}

/** PromQL with Grafana's interval variables as durations, so the grammar sees valid syntax. */
export const promqlForParsing = (expr: string) => expr.replaceAll(/\$\{?__(rate_interval|interval|range)\}?/g, '5m');

export function validateDashboard(dashboard: DashboardJson, context: ValidationContext): string[] {
  const where = dashboard.uid ?? '(no uid)';
  const problems: string[] = [];
  const problem = (message: string) => problems.push(`${where}: ${message}`);
  if (!dashboard.uid || !/^[\w-]{1,40}$/.test(dashboard.uid)) problem('uid must be 1-40 letters, digits, - or _');
  if (!dashboard.title) problem('has no title');
  if (typeof dashboard.schemaVersion !== 'number') problem('has no schemaVersion');
  const variables = new Set((dashboard.templating?.list ?? []).map((v) => v.name));
  const checkVariables = (text: string, what: string) => {
    for (const name of variablesIn(text)) if (!BUILTIN.test(name) && !variables.has(name)) problem(`${what} uses $${name}, which is not a variable of the dashboard`);
  };
  const checkDatasource = (ref: { uid?: string; type?: string } | undefined, what: string) => {
    const type = ref?.uid ? context.datasources.get(ref.uid) : undefined;
    if (!ref?.uid) problem(`${what} has no data source uid`);
    else if (!type) problem(`${what} uses data source uid "${ref.uid}", which is not provisioned`);
    else if (ref.type !== type) problem(`${what} says data source ${ref.uid} is a ${ref.type}, provisioning says ${type}`);
  };
  const checkPromql = (expr: string, what: string) => {
    const parsed = parsePromql(promqlForParsing(expr));
    if (parsed.errors.length > 0) problem(`${what}: PromQL does not parse at character ${parsed.errors[0]}: ${expr}`);
    for (const s of parsed.selectors) if (!context.metrics.has(s.name)) problem(`${what}: metric ${s.name || s.text} is neither in the inventory nor a recording rule`);
  };
  for (const variable of dashboard.templating?.list ?? []) {
    checkDatasource(variable.datasource, `variable ${variable.name}`);
    const selector = /^label_values\((.+),\s*\w+\)$/.exec(variable.query ?? '')?.[1];
    if (selector) checkPromql(selector, `variable ${variable.name}`);
    checkVariables(variable.query ?? '', `variable ${variable.name}`);
  }
  const ids = new Set<number>();
  for (const panel of dashboard.panels ?? []) {
    const name = `panel ${panel.id} "${panel.title}"`;
    if (typeof panel.id !== 'number' || ids.has(panel.id)) problem(`${name} needs a unique numeric id`);
    ids.add(panel.id ?? -1);
    if (!panel.type || !PANEL_TYPES.has(panel.type)) problem(`${name} has unknown type ${panel.type}`);
    if (!panel.title) problem(`${name} has no title`);
    const g = panel.gridPos;
    if (!g || g.x < 0 || g.w < 1 || g.h < 1 || g.x + g.w > 24) problem(`${name} is not placed on the 24-column grid: ${JSON.stringify(g)}`);
    if (panel.repeat && !variables.has(panel.repeat)) problem(`${name} repeats over $${panel.repeat}, which is not a variable`);
    checkVariables(`${panel.title ?? ''} ${panel.description ?? ''}`, name);
    if (panel.type === 'row' || panel.type === 'text') continue;
    checkDatasource(panel.datasource, name);
    if ((panel.targets ?? []).length === 0) problem(`${name} has no query`);
    const refIds = new Set<string>();
    for (const target of panel.targets ?? []) {
      const refId = String(target.refId ?? '');
      if (!refId || refIds.has(refId)) problem(`${name} needs a unique refId per query`);
      refIds.add(refId);
      checkDatasource(target.datasource as PanelJson['datasource'], `${name} query ${refId}`);
      const text = queryText(target);
      if (!text.trim()) problem(`${name} query ${refId} is empty`);
      checkVariables(text, `${name} query ${refId}`);
      if ((target.datasource as PanelJson['datasource'])?.type === 'prometheus') checkPromql(text, `${name} query ${refId}`);
    }
    for (const link of panel.fieldConfig?.defaults?.links ?? []) problems.push(...checkExploreLink(link.url ?? '', context).map((p) => `${where}: ${name} link "${link.title}": ${p}`));
  }
  return problems;
}

/** An Explore link's panes, with Grafana's ${...} variables replaced by a sample value. */
export function explorePanes(url: string): Record<string, { datasource: string; queries: Record<string, unknown>[] }> | undefined {
  if (!url.startsWith('/explore?')) return undefined;
  const panes = new URLSearchParams(url.slice('/explore?'.length).replaceAll(/\$\{[^}]+\}/g, 'SAMPLE')).get('panes');
  return panes ? JSON.parse(panes) : undefined;
}

function checkExploreLink(url: string, context: ValidationContext): string[] {
  let panes;
  try {
    panes = explorePanes(url);
  } catch (error) {
    return [`panes is not JSON: ${(error as Error).message}`];
  }
  if (!panes) return url.startsWith('https://') ? [] : [`is neither an Explore link nor an https URL: ${url}`];
  return Object.values(panes).flatMap((pane) => (context.datasources.has(pane.datasource) ? [] : [`opens data source ${pane.datasource}, which is not provisioned`]));
}
