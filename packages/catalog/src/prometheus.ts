// OTel -> Prometheus name translation, for the two exporters a Lookout metric passes through.
//
// THE NAMING RULE. Prometheus stores what the COLLECTOR's prometheus exporter writes
// (otel-collector/config.yaml, add_metric_suffixes: true; docs/adr/0002-metrics-path.md), so
// `storedName` is the one name every rule, dashboard, runbook and doc uses:
// mcp_server_operation_duration_seconds_count, lookout_mcp_requests_total. `prometheusName` is the
// in-process exporter's name on a service's own /metrics (debugging only, never scraped), and
// `namingDivergence` fails the inventory when the two would differ by more than the suffixes.
//
// In-process: @opentelemetry/exporter-prometheus 0.301.0 (dist/PrometheusSerializer.mjs). That exporter:
//   - replaces every character outside [a-zA-Z0-9_] with "_" and collapses runs of "_";
//   - prefixes "_" when the name starts with a digit, and prepends `<prefix>_` when configured;
//   - appends "_total" to monotonic sums (counters) unless the name already ends with it;
//   - adds NO unit suffix (no "_seconds"): the unit only appears in the `# UNIT` comment.
//   - writes histograms as <name>_count, <name>_sum and <name>_bucket{le=...}.
// A test in prometheus.test.ts checks these rules against the real serializer.
import type { InstrumentKind } from './types.ts';

export type PrometheusType = 'counter' | 'gauge' | 'histogram';

export interface PrometheusNameOptions {
  /** The exporter's `prefix` option; empty by default. */
  readonly prefix?: string;
}

const INVALID_CHARACTERS = /[^a-z0-9_]/gi;
const UNDERSCORE_RUNS = /_{2,}/g;

/** Sanitizes a metric or label name the way the exporter does (dots and dashes become "_"). */
export function sanitizePrometheusName(name: string): string {
  return name.replace(INVALID_CHARACTERS, '_').replace(UNDERSCORE_RUNS, '_');
}

/** Prometheus TYPE the exporter writes for an instrument kind. */
export function prometheusType(instrument: InstrumentKind): PrometheusType {
  switch (instrument) {
    case 'counter':
      return 'counter';
    case 'histogram':
      return 'histogram';
    case 'updowncounter': // non-monotonic sum
    case 'observable_gauge':
      return 'gauge';
  }
}

/** The metric family name as it appears in `# TYPE` lines. */
export function prometheusName(otelName: string, instrument: InstrumentKind, options: PrometheusNameOptions = {}): string {
  const escaped = otelName.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  let name = sanitizePrometheusName(escaped);
  if (options.prefix) name = `${options.prefix}_${name}`;
  if (name === '' || name === '_') throw new Error(`metric name ${JSON.stringify(otelName)} has no Prometheus form`);
  if (name[0]! >= '0' && name[0]! <= '9') name = `_${name}`;
  if (instrument === 'counter' && !name.endsWith('_total')) name = `${name}_total`;
  return name;
}

/** Every sample name the family produces; what a PromQL expression can select. */
export function prometheusSeries(otelName: string, instrument: InstrumentKind, options: PrometheusNameOptions = {}): string[] {
  const name = prometheusName(otelName, instrument, options);
  if (instrument === 'histogram') return [`${name}_bucket`, `${name}_count`, `${name}_sum`];
  return [name];
}

// ── Stored names: the collector's prometheus exporter (github.com/prometheus/otlptranslator,
// UnderscoreEscapingWithSuffixes, what add_metric_suffixes: true selects in otelcol 0.148) ──────

/** UCUM units the translator spells out; `{annotation}` units add nothing. */
const UNIT_WORDS: Record<string, string> = { s: 'seconds', ms: 'milliseconds', By: 'bytes', '%': 'percent' };

/** The unit word the collector appends for a metric ('' when none). */
export function unitSuffix(unit: string, instrument: InstrumentKind): string {
  const main = unit.replace(/\{[^}]*\}/g, '').trim();
  if (main === '1') return prometheusType(instrument) === 'gauge' ? 'ratio' : '';
  return UNIT_WORDS[main] ?? sanitizePrometheusName(main).replace(/^_+|_+$/g, '');
}

/**
 * The metric family name Prometheus stores, through the collector: the name split into
 * alphanumeric tokens joined by "_", the unit word appended unless a token already is it, and
 * "_total" last for counters (any "total" token inside is moved there).
 */
export function storedName(otelName: string, instrument: InstrumentKind, unit: string): string {
  let tokens = otelName.split(/[^a-zA-Z0-9]+/).filter((t) => t !== '');
  if (tokens.length === 0) throw new Error(`metric name ${JSON.stringify(otelName)} has no Prometheus form`);
  const word = unitSuffix(unit, instrument);
  if (word && !tokens.includes(word)) tokens.push(word);
  if (instrument === 'counter') tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  const name = tokens.join('_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** Every sample name of the stored family: what a PromQL expression can select. */
export function storedSeries(otelName: string, instrument: InstrumentKind, unit: string): string[] {
  const name = storedName(otelName, instrument, unit);
  if (instrument === 'histogram') return [`${name}_bucket`, `${name}_count`, `${name}_sum`];
  return [name];
}

/**
 * Why the stored name and the /metrics name of a metric would diverge beyond the suffixes the
 * collector adds (unit word, _total), or undefined when they agree. Such a metric would be known
 * under two unrelated names, so the inventory refuses it.
 */
export function namingDivergence(otelName: string, instrument: InstrumentKind, unit: string): string | undefined {
  const stored = storedName(otelName, instrument, unit);
  const endpoint = prometheusName(otelName, instrument);
  const strip = (name: string) => (instrument === 'counter' ? name.replace(/_total$/, '') : name);
  const word = unitSuffix(unit, instrument);
  const expected = word && !strip(endpoint).split('_').includes(word) ? `${strip(endpoint)}_${word}` : strip(endpoint);
  if (strip(stored) === expected) return undefined;
  return `stored as ${stored} but exposed on /metrics as ${endpoint}; rename it so they differ only by the unit and _total suffixes`;
}
