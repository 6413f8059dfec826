// docs/runbooks/<alertname>.md: one per alert. Their fenced ```promql and ```logsql blocks are
// queries an on-call engineer pastes; the checks parse them and the end-to-end test runs them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNBOOKS_DIR } from './paths.ts';

export interface RunbookQuery {
  runbook: string;
  language: 'promql' | 'logsql';
  query: string;
  /** For LogsQL: the VictoriaLogs tenant (AccountID) from a `# tenant: N` first line; default 1 (app logs). */
  tenant: number;
}

/** The sections every runbook has, as `## ` headings, in this order. */
export const RUNBOOK_SECTIONS = ['What it means', 'User impact', 'First three checks', 'Mitigation', 'Escalation'] as const;

export const runbookPath = (alert: string, dir: string = RUNBOOKS_DIR) => join(dir, `${alert}.md`);

export function runbookNames(dir: string = RUNBOOKS_DIR): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => f.slice(0, -3)).sort() : [];
}

export function runbookQueries(alert: string, dir: string = RUNBOOKS_DIR): RunbookQuery[] {
  const text = readFileSync(runbookPath(alert, dir), 'utf8');
  return [...text.matchAll(/^```(promql|logsql)\n([\s\S]*?)^```$/gm)].map((m) => {
    const lines = m[2]!.trimEnd().split('\n');
    const tenant = /^#\s*tenant:\s*(\d+)/.exec(lines[0] ?? '');
    return {
      runbook: alert,
      language: m[1] as 'promql' | 'logsql',
      query: (tenant ? lines.slice(1) : lines).join('\n').trim(),
      tenant: tenant ? Number(tenant[1]) : 1,
    };
  });
}

/** What is wrong with one runbook: missing sections, or no query to paste. */
export function runbookProblems(alert: string, dir: string = RUNBOOKS_DIR): string[] {
  const path = runbookPath(alert, dir);
  if (!existsSync(path)) return [`${alert}: no runbook (write docs/runbooks/${alert}.md)`];
  const text = readFileSync(path, 'utf8');
  const problems: string[] = [];
  let last = -1;
  for (const section of RUNBOOK_SECTIONS) {
    const at = text.indexOf(`\n## ${section}`);
    if (at === -1) problems.push(`${alert}: runbook has no "## ${section}" section`);
    else if (at < last) problems.push(`${alert}: "## ${section}" is out of order`);
    last = Math.max(last, at);
  }
  const queries = runbookQueries(alert, dir);
  if (!queries.some((q) => q.language === 'promql')) problems.push(`${alert}: runbook has no \`\`\`promql query`);
  if (!queries.some((q) => q.language === 'logsql')) problems.push(`${alert}: runbook has no \`\`\`logsql query`);
  return problems;
}
