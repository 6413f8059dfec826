// One drift check over every target given: what `lookout drift` prints and the worker exports.
import { checkAlertmanager } from './alertmanager-drift.ts';
import { checkGrafana } from './grafana-drift.ts';
import { checkPrometheus, type TargetCheck } from './prometheus-drift.ts';
import type { ComponentResult, DriftComponent, DriftReport } from './report.ts';

export interface DriftCheckOptions {
  repoRoot: string;
  /** The stack's data dir, whose render.json files say how the stack rendered the configs. */
  dataDir?: string;
  /** Base URLs of the targets to check; a target without a URL is not checked. */
  urls: Partial<Record<DriftComponent, string>>;
  /** Per request; default 5000 ms. */
  timeoutMs?: number;
  /** Grafana's API token (a service account's); never printed, logged or part of an error. */
  grafanaToken?: string;
  /** Where the token came from, named when Grafana refuses it; default `the Grafana token option`. */
  grafanaTokenSource?: string;
}

const CHECKS: Record<DriftComponent, (target: TargetCheck) => Promise<ComponentResult>> = {
  prometheus: checkPrometheus,
  alertmanager: checkAlertmanager,
  grafana: checkGrafana,
};

export async function runDriftCheck({ repoRoot, dataDir, urls, timeoutMs, grafanaToken, grafanaTokenSource = 'the Grafana token option' }: DriftCheckOptions): Promise<DriftReport> {
  const checkedAt = new Date().toISOString();
  const targets = Object.entries(urls).filter((entry): entry is [DriftComponent, string] => Boolean(entry[1]));
  const results = await Promise.all(targets.map(async ([component, url]) => {
    const base = url.replace(/\/+$/, '');
    try {
      const auth = component === 'grafana' ? { token: grafanaToken, tokenSource: grafanaTokenSource } : {};
      return await CHECKS[component]({ repoRoot, dataDir, url: base, timeoutMs, ...auth });
    } catch (error) {
      // Unreachable, a bad answer, or a repository file that does not parse: not "in sync" either way.
      return { component, url: base, status: 'unreadable' as const, error: error instanceof Error ? error.message : String(error), drifted: [] };
    }
  }));
  return { checkedAt, results };
}
