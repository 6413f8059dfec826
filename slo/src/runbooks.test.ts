// Every alert has its runbook, and every runbook has the sections and pasteable queries on-call needs.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertNames, loadRules } from './rules.ts';
import { runbookNames, runbookProblems, runbookQueries } from './runbooks.ts';

const alerts = alertNames(loadRules());

describe('docs/runbooks', () => {
  it('has one runbook per alert name, and none for an alert that does not exist', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(13);
    expect(runbookNames()).toEqual(alerts);
  });

  it.each(alerts)('%s: what it means, impact, three checks with PromQL and LogsQL, mitigation, escalation', (alert) => {
    expect(runbookProblems(alert)).toEqual([]);
  });

  it('fails an alert without a runbook, and a runbook without its sections or queries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbooks-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Thin.md'), '# Thin\n\n## What it means\n\nSomething.\n\n```promql\nup\n```\n');
    expect(runbookProblems('NoSuchRunbook', dir)).toEqual(['NoSuchRunbook: no runbook (write docs/runbooks/NoSuchRunbook.md)']);
    const thin = runbookProblems('Thin', dir);
    expect(thin).toContain('Thin: runbook has no "## Mitigation" section');
    expect(thin).toContain('Thin: runbook has no ```logsql query');
    expect(thin).not.toContain('Thin: runbook has no ```promql query');
  });

  it('reads the audit tenant of a LogsQL block from its "# tenant:" line', () => {
    const queries = runbookQueries('CollectorQueueNearCapacity').filter((q) => q.language === 'logsql');
    expect(queries).toEqual([expect.objectContaining({ tenant: 2, query: '_time:5m | stats count() rows' })]);
  });
});
