// OTel -> Prometheus name translation, mirroring @opentelemetry/exporter-prometheus 0.301.0
// (dist/PrometheusSerializer.mjs). That exporter:
//   - replaces every character outside [a-zA-Z0-9_] with "_" and collapses runs of "_";
//   - prefixes "_" when the name starts with a digit, and prepends `<prefix>_` when configured;
//   - appends "_total" to monotonic sums (counters) unless the name already ends with it;
//   - adds NO unit suffix (no "_seconds"): the unit only appears in the `# UNIT` comment.
//     (The Collector's prometheus exporter does add unit suffixes; this inventory describes
//     the in-process exporter the services are scraped through.)
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
