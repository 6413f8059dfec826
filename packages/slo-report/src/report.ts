// The SLO report: one row per SLO and step, read from sloth's recording rules (the same series the
// alerts and the SLO dashboard read), so every figure is a PromQL query anyone can re-run.
import { queryRange, type RangeOptions } from './prometheus.ts';

export interface ReportRow {
  /** The step's evaluation time, UTC ISO 8601. */
  time: string;
  service: string;
  slo: string;
  /** Share of good events over the step ending at `time` (the mean of sloth's 5m SLI, as sloth computes its period SLI). */
  sli: number | null;
  objective: number | null;
  /** 1 - period error ratio / budget, over the SLO period (30 d). Below 0: the SLO is missed. */
  error_budget_remaining: number | null;
  burn_rate_1h: number | null;
  burn_rate_6h: number | null;
  /** Whether one of the SLO's burn-rate alerts fired at any time during the step. */
  alert_firing: boolean;
}

export const REPORT_COLUMNS = ['time', 'service', 'slo', 'sli', 'objective', 'error_budget_remaining', 'burn_rate_1h', 'burn_rate_6h', 'alert_firing'] as const;

const BY = 'sloth_service, sloth_slo';
const burnRate = (window: string) => `max by (${BY}) (slo:sli_error:ratio_rate${window} / on (sloth_id, ${BY}) group_left slo:error_budget:ratio)`;

/** The PromQL of each column (step in seconds), exported so a test can run the very same queries. */
export function reportQueries(stepSeconds: number): Record<'slos' | 'sli' | 'objective' | 'error_budget_remaining' | 'burn_rate_1h' | 'burn_rate_6h' | 'alert_firing', string> {
  return {
    slos: `max by (${BY}) (sloth_slo_info)`,
    sli: `max by (${BY}) (1 - avg_over_time(slo:sli_error:ratio_rate5m[${stepSeconds}s]))`,
    objective: `max by (${BY}) (slo:objective:ratio)`,
    error_budget_remaining: `max by (${BY}) (slo:period_error_budget_remaining:ratio)`,
    burn_rate_1h: burnRate('1h'),
    burn_rate_6h: burnRate('6h'),
    alert_firing: `max by (${BY}) (max_over_time(ALERTS{alertstate="firing", sloth_slo!=""}[${stepSeconds}s]))`,
  };
}

export interface ReportOptions extends RangeOptions {
  prometheusUrl: string;
}

type Column = Exclude<keyof ReturnType<typeof reportQueries>, 'slos'>;
const keyOf = (metric: Record<string, string>) => `${metric.sloth_service}\u0000${metric.sloth_slo}`;

/** Prometheus formats values as Go floats: "NaN", "+Inf" and "-Inf" included. NaN (no events) becomes null. */
function toNumber(value: string): number | null {
  const n = Number(value.replace(/^\+/, ''));
  return Number.isNaN(n) ? null : n;
}

export async function sloReport(options: ReportOptions): Promise<ReportRow[]> {
  const queries = reportQueries(options.stepSeconds);
  const [slos, ...columns] = await Promise.all([queries.slos, ...(Object.keys(queries).filter((k) => k !== 'slos') as Column[]).map((k) => queries[k])].map((q) => queryRange(options.prometheusUrl, q, options)));
  const names = Object.keys(queries).filter((k) => k !== 'slos') as Column[];
  /** column -> series key -> unix seconds -> value */
  const values = new Map(names.map((name, i) => [name, new Map(columns[i]!.map((s) => [keyOf(s.metric), new Map(s.values.map(([t, v]) => [t, v]))]))]));
  const rows: ReportRow[] = [];
  for (const slo of slos!.sort((a, b) => keyOf(a.metric).localeCompare(keyOf(b.metric)))) {
    const key = keyOf(slo.metric);
    for (const [t] of slo.values) {
      const value = (name: Column) => values.get(name)!.get(key)?.get(t);
      const number = (name: Column) => {
        const v = value(name);
        return v === undefined ? null : toNumber(v);
      };
      rows.push({
        time: new Date(t * 1000).toISOString(),
        service: slo.metric.sloth_service!,
        slo: slo.metric.sloth_slo!,
        sli: number('sli'),
        objective: number('objective'),
        error_budget_remaining: number('error_budget_remaining'),
        burn_rate_1h: number('burn_rate_1h'),
        burn_rate_6h: number('burn_rate_6h'),
        alert_firing: number('alert_firing') === 1,
      });
    }
  }
  return rows.sort((a, b) => a.time.localeCompare(b.time) || a.service.localeCompare(b.service) || a.slo.localeCompare(b.slo));
}
