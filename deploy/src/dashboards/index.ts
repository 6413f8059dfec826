// Renders the dashboards of deploy/grafana/dashboards/ from the SLO catalogue and the code here,
// and says which committed files are stale (`npm run dashboards -w @lookout/deploy -- check`).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { readCatalogue } from './catalogue.ts';
import { pipelineDashboard } from './pipeline-dashboard.ts';
import { servicesDashboard } from './services-dashboard.ts';
import { sloDashboard } from './slo-dashboard.ts';

export interface DashboardPaths {
  /** slo/lookout.slo.yaml */
  catalogue: string;
  /** deploy/grafana/dashboards */
  outDir: string;
}

export function buildDashboards(catalogueFile: string): Dashboard[] {
  return [sloDashboard(readCatalogue(catalogueFile)), servicesDashboard(), pipelineDashboard()].map(numberPanels);
}

/** Panel ids 1, 2, ... in order: Grafana keys panel links (viewPanel=) and repeats by id. */
function numberPanels(dashboard: Dashboard): Dashboard {
  return { ...dashboard, panels: (dashboard.panels ?? []).map((panel, index) => ({ ...panel, id: index + 1 })) };
}

/** File name -> the JSON Grafana's file provider reads. */
export function renderDashboards(catalogueFile: string): Map<string, string> {
  return new Map(buildDashboards(catalogueFile).map((d) => [`${d.uid}.json`, `${JSON.stringify(d, null, 2)}\n`]));
}

export function writeDashboards(paths: DashboardPaths): string[] {
  const files = renderDashboards(paths.catalogue);
  for (const [name, text] of files) writeFileSync(join(paths.outDir, name), text);
  return [...files.keys()];
}

/** One message per committed file that differs from the generator's output, is missing, or is extra. */
export function staleDashboards(paths: DashboardPaths): string[] {
  const files = renderDashboards(paths.catalogue);
  const problems: string[] = [];
  for (const [name, text] of files) {
    const file = join(paths.outDir, name);
    if (!existsSync(file)) problems.push(`${name} is missing`);
    else if (readFileSync(file, 'utf8') !== text) problems.push(`${name} differs from the generator's output`);
  }
  const extra = existsSync(paths.outDir) ? readdirSync(paths.outDir).filter((f) => f.endsWith('.json') && !files.has(f)) : [];
  problems.push(...extra.map((f) => `${f} is not generated (delete it, or generate it in deploy/src/dashboards)`));
  return problems;
}

export { BURN_WINDOWS, readCatalogue, type CatalogueSlo } from './catalogue.ts';
