// What the dashboards read from the SLO catalogue (slo/lookout.slo.yaml, sloth prometheus/v1).
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export interface CatalogueSlo {
  service: string;
  name: string;
  /** Percent, as written: 99.5. */
  objective: number;
  alert: string;
  runbookUrl: string;
  dashboardUrl: string;
}

interface SlothDocument {
  service: string;
  slos: { name: string; objective: number; alerting: { name: string; annotations: Record<string, string> } }[];
}

export function readCatalogue(file: string): CatalogueSlo[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((doc) => {
    const spec = doc.toJS() as SlothDocument;
    return spec.slos.map((slo) => ({
      service: spec.service,
      name: slo.name,
      objective: slo.objective,
      alert: slo.alerting.name,
      runbookUrl: slo.alerting.annotations.runbook_url ?? '',
      dashboardUrl: slo.alerting.annotations.dashboard_url ?? '',
    }));
  });
}

/**
 * The multi-window, multi-burn-rate alerts sloth generates with its 30-day defaults (ADR 0005):
 * an alert fires when the burn rate over both the long and the short window exceeds the factor.
 * dashboards.test.ts checks these against the generated rules.
 */
export const BURN_WINDOWS = [
  { severity: 'page', factor: 14.4, long: '1h', short: '5m' },
  { severity: 'page', factor: 6, long: '6h', short: '30m' },
  { severity: 'ticket', factor: 3, long: '1d', short: '2h' },
  { severity: 'ticket', factor: 1, long: '3d', short: '6h' },
] as const;

export const SLO_PERIOD = '30d';
