// The drift check's result: per component, whether it could be read, and each drifted object with
// its changes. The metric labels (component, object) use the closed SECTIONS; the report names the
// object itself (a scrape job, a receiver, a rule group).
import { diffTrees, type Change } from './diff.ts';
import type { Tree } from './normalise.ts';

export const COMPONENTS = ['prometheus', 'alertmanager', 'grafana'] as const;
export type DriftComponent = (typeof COMPONENTS)[number];

/** Top-level parts each component's objects belong to; anything else is "other". */
export const SECTIONS = {
  prometheus: ['global', 'alerting', 'rule_files', 'scrape_configs', 'rule_groups', 'other'],
  alertmanager: ['global', 'route', 'receivers', 'inhibit_rules', 'templates', 'other'],
  grafana: ['dashboards', 'datasources', 'other'],
} as const satisfies Record<DriftComponent, readonly string[]>;
export type DriftSection = (typeof SECTIONS)[DriftComponent][number];

export interface DriftedObject {
  section: DriftSection;
  /** e.g. `scrape_configs/jaeger`, `rule_groups/alerts.yml/lookout-alerts`, `route`. */
  object: string;
  changes: Change[];
}

export interface ComponentResult {
  component: DriftComponent;
  /** The API the deployed side was read from. */
  url: string;
  status: 'in_sync' | 'drift' | 'unreadable';
  /** Why it could not be read, and what to do (status unreadable). */
  error?: string;
  drifted: DriftedObject[];
}

export interface DriftReport {
  checkedAt: string;
  results: ComponentResult[];
}

/** 0 in sync, 1 drift, 2 a target could not be read (an unreadable target is never "in sync"). */
export function exitCodeOf(report: DriftReport): 0 | 1 | 2 {
  if (report.results.some((r) => r.status === 'unreadable')) return 2;
  return report.results.some((r) => r.status === 'drift') ? 1 : 0;
}

const isMap = (value: Tree | undefined): value is Record<string, Tree> => value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);

/**
 * Splits two normalised configs into objects: one per top-level key, and one per named item of
 * `perItem` sections (already maps by name).
 */
export function driftedObjects(component: DriftComponent, expected: Tree, deployed: Tree, perItem: readonly string[]): DriftedObject[] {
  const e = isMap(expected) ? expected : {};
  const d = isMap(deployed) ? deployed : {};
  const sections: readonly string[] = SECTIONS[component];
  const out: DriftedObject[] = [];
  for (const key of [...new Set([...Object.keys(e), ...Object.keys(d)])].sort()) {
    const section = (sections.includes(key) ? key : 'other') as DriftSection;
    const [ek, dk] = [e[key], d[key]];
    if (perItem.includes(key) && isMap(ek ?? {}) && isMap(dk ?? {})) {
      const items = { ...(ek as Record<string, Tree> | undefined), ...(dk as Record<string, Tree> | undefined) };
      for (const item of Object.keys(items).sort()) {
        const changes = diffTrees((ek as Record<string, Tree> | undefined)?.[item], (dk as Record<string, Tree> | undefined)?.[item]);
        if (changes.length) out.push({ section, object: `${key}/${item}`, changes });
      }
      continue;
    }
    const changes = diffTrees(ek, dk);
    if (changes.length) out.push({ section, object: key, changes });
  }
  return out;
}

export function resultOf(component: DriftComponent, url: string, drifted: DriftedObject[]): ComponentResult {
  return { component, url, status: drifted.length ? 'drift' : 'in_sync', drifted };
}
