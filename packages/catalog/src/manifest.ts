// Builds metrics_inventory.json from the inventory. Pure: same inventory, same bytes.
// Key order is fixed by construction; metrics are sorted by OTel name, labels by name,
// label values keep their declared order (it is meaningful, e.g. the fallback last).
import { inventory } from './inventory.ts';
import { namingDivergence, prometheusName, prometheusType, sanitizePrometheusName, storedName, storedSeries } from './prometheus.ts';
import { backendMetrics } from './backend.ts';
import { standardMetrics } from './standard.ts';
import type { Inventory, MetricSpec } from './types.ts';

export const MANIFEST_FILE = 'metrics_inventory.json';
export const GENERATE_COMMAND = 'node packages/catalog/src/cli.ts generate';

/** Label names that would put identities, free text or unbounded values into series. */
export const FORBIDDEN_LABELS: readonly string[] = Object.freeze([
  'user_id', 'user.id', 'enduser.id', 'request_id', 'request.id', 'trace_id', 'span_id', 'session_id',
  'mcp.session.id', 'job_id', 'job.id', 'messaging.message.id', 'path', 'url', 'url.path', 'url.full',
  'url.query', 'http.target', 'diff', 'message', 'error.message', 'exception.message', 'email', 'api_key',
  'token', 'file', 'code.filepath',
]);

const METRIC_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const LABEL_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const UNIT = /^(s|ms|By|1|\{[a-z_]+\})$/;

/** Every rule an inventory must satisfy; returns one message per problem (empty when sound). */
export function validateInventory(metrics: Inventory): string[] {
  const problems: string[] = [];
  const otelNames = new Map<string, string>();
  const promNames = new Map<string, string>();
  for (const [key, spec] of Object.entries(metrics)) {
    const at = `${key} (${spec.name})`;
    if (!METRIC_NAME.test(spec.name)) problems.push(`${at}: name is not lower-case dotted`);
    if (otelNames.has(spec.name)) problems.push(`${at}: name also used by ${otelNames.get(spec.name)}`);
    otelNames.set(spec.name, key);
    const divergence = namingDivergence(spec.name, spec.instrument, spec.unit);
    if (divergence) problems.push(`${at}: ${divergence}`);
    for (const series of storedSeries(spec.name, spec.instrument, spec.unit)) {
      if (promNames.has(series)) problems.push(`${at}: Prometheus series ${series} collides with ${promNames.get(series)}`);
      promNames.set(series, key);
    }
    if (!UNIT.test(spec.unit)) problems.push(`${at}: unit "${spec.unit}" is not one of s, ms, By, 1, {annotation}`);
    if (spec.description.trim() === '') problems.push(`${at}: no description`);
    if (spec.instrument === 'histogram') {
      const b = spec.buckets ?? [];
      if (b.length === 0) problems.push(`${at}: histogram without buckets`);
      if (b.some((v, i) => i > 0 && v <= b[i - 1]!)) problems.push(`${at}: buckets not strictly increasing`);
    } else if (spec.buckets !== undefined) {
      problems.push(`${at}: buckets on a ${spec.instrument}`);
    }
    for (const [label, labelSpec] of Object.entries(spec.labels)) {
      if (!LABEL_NAME.test(label)) problems.push(`${at}: label "${label}" is not lower-case dotted`);
      if (FORBIDDEN_LABELS.includes(label)) problems.push(`${at}: label "${label}" is forbidden (unbounded or sensitive)`);
      if (!Array.isArray(labelSpec.values) || labelSpec.values.length === 0) {
        problems.push(`${at}: label "${label}" has no bounded value set`);
        continue;
      }
      if (new Set(labelSpec.values).size !== labelSpec.values.length) problems.push(`${at}: label "${label}" repeats a value`);
      if (labelSpec.values.some((v) => typeof v !== 'string' || v === '')) problems.push(`${at}: label "${label}" has an empty value`);
      if (labelSpec.fallback !== undefined && !labelSpec.values.includes(labelSpec.fallback)) {
        problems.push(`${at}: label "${label}" fallback "${labelSpec.fallback}" is not among its values`);
      }
    }
  }
  return problems;
}

function describeMetric(key: string, spec: MetricSpec) {
  const labels = Object.keys(spec.labels)
    .sort()
    .map((name) => {
      const label = spec.labels[name]!;
      const fallback = label.fallback ?? (label.values.includes('other') ? 'other' : null);
      return {
        name,
        prometheus_name: sanitizePrometheusName(name),
        values: [...label.values],
        optional: label.optional === true,
        fallback,
        description: label.description,
      };
    });
  return {
    key,
    otel_name: spec.name,
    prometheus_name: storedName(spec.name, spec.instrument, spec.unit),
    prometheus_series: storedSeries(spec.name, spec.instrument, spec.unit),
    prometheus_type: prometheusType(spec.instrument),
    metrics_endpoint_name: prometheusName(spec.name, spec.instrument),
    instrument: spec.instrument,
    unit: spec.unit,
    service: spec.service,
    created_by: spec.createdBy ?? spec.service,
    description: spec.description,
    labels,
    buckets: spec.buckets ? [...spec.buckets] : null,
  };
}

export function buildManifest(metrics: Inventory = inventory) {
  return {
    generated_by: GENERATE_COMMAND,
    prometheus_translation:
      'prometheus_name/prometheus_series: as Prometheus stores them, through the collector\'s prometheus exporter (add_metric_suffixes: unit word and _total); ' +
      'the one name rules, dashboards, runbooks and docs use. metrics_endpoint_name: a service\'s own /metrics (@opentelemetry/exporter-prometheus 0.301.0, no unit suffix), for debugging only.',
    metrics: Object.entries(metrics)
      .map(([key, spec]) => describeMetric(key, spec))
      .sort((a, b) => (a.otel_name < b.otel_name ? -1 : a.otel_name > b.otel_name ? 1 : 0)),
    standard_metrics: [...standardMetrics]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((m) => ({
        otel_name: m.name,
        prometheus_name: storedName(m.name, m.instrument, m.unit),
        prometheus_series: storedSeries(m.name, m.instrument, m.unit),
        prometheus_type: prometheusType(m.instrument),
        metrics_endpoint_name: prometheusName(m.name, m.instrument),
        unit: m.unit,
        source: m.source,
        labels: [...m.labels],
        why: m.why,
      })),
    backend_metrics: [...backendMetrics]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((m) => ({ prometheus_name: m.name, prometheus_type: m.type, source: m.source, conditional: m.conditional === true, why: m.why })),
  };
}

/** The exact bytes of metrics_inventory.json: 2-space JSON and a trailing newline. */
export function renderManifest(metrics: Inventory = inventory): string {
  return `${JSON.stringify(buildManifest(metrics), null, 2)}\n`;
}
