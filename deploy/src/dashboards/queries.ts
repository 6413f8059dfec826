// The data sources and query shapes every generated dashboard uses. Data sources are referred to
// by the uids of deploy/grafana/provisioning/datasources/datasources.yaml, never by name.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';

export const PROMETHEUS = { type: 'prometheus', uid: 'prometheus' } as const;
export const LOGS = { type: 'victoriametrics-logs-datasource', uid: 'logs-app' } as const;
export const JAEGER = { type: 'jaeger', uid: 'jaeger' } as const;

/** A PromQL target. `instant` for stat and table panels that show the value now. */
export function promql(expr: string, legend = '', options: { instant?: boolean; refId?: string } = {}): DataqueryBuilder {
  const query = new DataqueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legend || '__auto').refId(options.refId ?? 'A');
  return options.instant ? query.instant() : query.range();
}

/**
 * A LogsQL target of the VictoriaLogs plugin (victoriametrics-logs-datasource): the foundation SDK
 * has no builder for it, so this is the plugin's query model as it stores it (expr, queryType).
 */
export interface LogsqlQuery extends cog.Dataquery {
  refId: string;
  datasource: typeof LOGS;
  expr: string;
  queryType: 'instant' | 'statsRange';
}

export function logsql(expr: string, queryType: LogsqlQuery['queryType'] = 'instant', refId = 'A'): cog.Builder<cog.Dataquery> {
  const query: LogsqlQuery = { refId, datasource: LOGS, expr, queryType, _implementsDataqueryVariant: () => {} };
  return { build: () => query };
}

/** A Jaeger search target (Grafana's Jaeger data source, queryType "search"). */
export interface JaegerSearch extends cog.Dataquery {
  refId: string;
  datasource: typeof JAEGER;
  queryType: 'search';
  service: string;
  tags?: string;
  limit: number;
}

export function jaegerSearch(service: string, options: { tags?: string; limit?: number } = {}): cog.Builder<cog.Dataquery> {
  const query: JaegerSearch = { refId: 'A', datasource: JAEGER, queryType: 'search', service, limit: options.limit ?? 20, ...(options.tags ? { tags: options.tags } : {}), _implementsDataqueryVariant: () => {} };
  return { build: () => query };
}

/**
 * Keeps only the series of services in the selected environment. The environment is a resource
 * attribute, so it is on target_info only (the collector's exporter does not copy resource
 * attributes onto every series: resource_to_telemetry_conversion is off); `and on (job, instance)`
 * joins it in per instance, before any aggregation.
 */
export const inEnvironment = (selector: string) => `(${selector} and on (job, instance) target_info{deployment_environment_name=~"$environment"})`;

/** rate() over Grafana's $__rate_interval, restricted to the environment. */
export const envRate = (metric: string, matchers: string) => inEnvironment(`rate(${metric}{${matchers}}[$__rate_interval])`);

export const quantiles = [0.5, 0.95, 0.99] as const;

/**
 * The phrase that declares a panel may show nothing on a healthy stack (errors, failures, drops,
 * firing alerts). The live check (apps/stack backends.integration.test.ts) reads it from the JSON:
 * every other panel must return data after end-to-end traffic.
 */
export const MAY_BE_EMPTY = 'Empty on a healthy stack.';
