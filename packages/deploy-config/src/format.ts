// The drift report for people: one block per drifted object, one line per change.
import type { Change } from './diff.ts';
import type { DriftReport } from './report.ts';

const show = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, null, 0));

function changeLine({ path, kind, expected, deployed }: Change): string {
  const where = path || '(whole object)';
  if (kind === 'missing') return `  - ${where}: in the repository, not deployed: ${show(expected)}`;
  // A key the repository leaves out may be one it leaves at the server's default (dropped as such).
  if (kind === 'unexpected') return path ? `  + ${where}: deployed ${show(deployed)}; the repository leaves it out (default)` : `  + ${where}: deployed, not in the repository: ${show(deployed)}`;
  return `  ~ ${where}: repository ${show(expected)}, deployed ${show(deployed)}`;
}

export function formatDriftReport(report: DriftReport): string {
  const lines: string[] = [];
  for (const result of report.results) {
    if (result.status === 'unreadable') {
      lines.push(`${result.component}: UNREADABLE: ${result.error}`);
      continue;
    }
    if (result.status === 'in_sync') {
      lines.push(`${result.component}: in sync with the repository (${result.url})`);
      continue;
    }
    lines.push(`${result.component}: DRIFT in ${result.drifted.length} object(s) (${result.url})`);
    for (const object of result.drifted) {
      lines.push(` ${object.object}`);
      lines.push(...object.changes.map(changeLine));
    }
  }
  return `${lines.join('\n')}\n`;
}
