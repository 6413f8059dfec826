// Generates a `promtool test rules` file for every SLO alert sloth wrote, from the catalogue's own
// numbers (objective, windows and burn factors read back from the generated rules).
//
// What is under test is sloth's alerting: its multi-window multi-burn-rate expressions and the
// labels and annotations the catalogue gives them. The SLI recordings (slo:sli_error:ratio_rate<w>)
// are the input: the generated test loads a copy of each rule file without them and feeds each
// window's error ratio as a series. (The SLI queries themselves are proven by `promtool check
// rules`, the offline metric-existence check and, for the MCP availability SLO, the end-to-end run
// on real binaries.) Per SLO, five histories:
//   1. a fast burn (every window just over 14.4x) starting at 5m: nothing at 4m, page + ticket at 5m;
//   2. a slow burn (just over 6x, but the 1d and 3d windows clean): the page only;
//   3. just over 3x everywhere: the ticket only;
//   4. just under 6x everywhere: the ticket only, no page (a burn just under the page thresholds);
//   5. just under 1x everywhere: nothing at all (just under every threshold).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Rule, RuleFile } from './sloth.ts';

const SLI_RECORD = /^slo:sli_error:ratio_rate(\w+)$/;
const CONDITION = /slo:sli_error:ratio_rate(\w+)\{[^}]*\}\s*>\s*\(([\d.]+)\s*\*\s*([\d.e-]+)\)/g;

interface SloAlerts {
  id: string;
  /** window -> labels of its SLI series */
  sli: Map<string, Record<string, string>>;
  page: Rule;
  ticket: Rule;
  budget: number;
}

interface TestCase {
  name: string;
  /** Error ratio per window, as a multiple of the error budget; windows not listed are 0. */
  burn: (window: string) => number;
  startsAt?: number;
  expect: ('page' | 'ticket')[];
}

/** (window, factor) pairs an alert expression compares, e.g. [['5m', 14.4], ['1h', 14.4], ...]. */
export function burnConditions(expr: string): { window: string; factor: number; budget: number }[] {
  return [...expr.matchAll(CONDITION)].map((m) => ({ window: m[1]!, factor: Number(m[2]), budget: Number(m[3]) }));
}

function slosOf(file: RuleFile): SloAlerts[] {
  const rules = file.groups.flatMap((g) => g.rules);
  const ids = [...new Set(rules.map((r) => r.labels?.sloth_id).filter((id): id is string => !!id))];
  return ids.map((id) => {
    const own = rules.filter((r) => r.labels?.sloth_id === id);
    const sli = new Map(own.flatMap((r) => {
      const window = SLI_RECORD.exec(r.record ?? '')?.[1];
      return window ? [[window, r.labels ?? {}] as const] : [];
    }));
    const alert = (severity: string) => {
      const found = rules.find((r) => r.alert && r.labels?.sloth_severity === severity && r.expr.includes(`sloth_id="${id}"`));
      if (!found) throw new Error(`slo: no ${severity} alert for ${id} in sloth's output`);
      return found;
    };
    const page = alert('page');
    const budget = burnConditions(page.expr)[0]?.budget;
    if (!budget) throw new Error(`slo: cannot read the error budget of ${id} from its page alert`);
    return { id, sli, page, ticket: alert('ticket'), budget };
  });
}

/** Renders the only templating sloth and the catalogue use in annotations: {{$labels.name}}. */
function render(text: string, labels: Record<string, string>): string {
  const out = text.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
  if (out.includes('{{')) throw new Error(`slo: annotation template beyond $labels: ${text}`);
  return out;
}

function expectedAlert(slo: SloAlerts, rule: Rule) {
  const { sloth_window: _window, ...series } = slo.sli.values().next().value ?? {};
  const labels = { ...series, ...rule.labels };
  return { exp_labels: labels, exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, render(v, labels)])) };
}

const factorsOf = (rule: Rule) => new Map(burnConditions(rule.expr).map((c) => [c.window, c.factor]));

function cases(slo: SloAlerts): TestCase[] {
  const page = factorsOf(slo.page);
  const ticket = factorsOf(slo.ticket);
  const pageFactors = [...new Set(page.values())].sort((a, b) => b - a); // [14.4, 6]
  const ticketFactors = [...new Set(ticket.values())].sort((a, b) => b - a); // [3, 1]
  const [fast, slow] = pageFactors;
  const [quick, lowest] = ticketFactors;
  if (!fast || !slow || !quick || !lowest) throw new Error(`slo: ${slo.id} lacks a page or ticket window pair`);
  // The slow burn: every page window just over the slow factor, the ticket-only windows (2h, 1d, 3d) clean.
  const slowBurn = (w: string) => (page.has(w) ? slow * 1.05 : 0);
  return [
    { name: `fast burn (${fast}x) starting at 5m pages and tickets`, burn: () => fast * 1.05, startsAt: 5, expect: ['page', 'ticket'] },
    { name: `slow burn (${slow}x) over the page windows only pages`, burn: slowBurn, expect: ['page'] },
    { name: `a ${quick}x burn opens a ticket, no page`, burn: () => quick * 1.05, expect: ['ticket'] },
    { name: `a burn just under ${slow}x does not page`, burn: () => slow * 0.95, expect: ['ticket'] },
    { name: `a burn just under ${lowest}x fires nothing`, burn: () => lowest * 0.95, expect: [] },
  ];
}

function testOf(slo: SloAlerts, c: TestCase, alertname: string) {
  const start = c.startsAt ?? 0;
  const evalAt = start + 1;
  const series = [...slo.sli].map(([window, labels]) => {
    const ratio = c.burn(window) * slo.budget;
    const selector = `slo:sli_error:ratio_rate${window}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
    return { series: selector, values: start > 0 ? `0x${start - 1} ${ratio}x10` : `${ratio}x10` };
  });
  const fired = c.expect.map((s) => expectedAlert(slo, s === 'page' ? slo.page : slo.ticket));
  return {
    name: `${slo.id}: ${c.name}`,
    interval: '1m',
    input_series: series,
    alert_rule_test: [
      ...(start > 0 ? [{ eval_time: `${start - 1}m`, alertname, exp_alerts: [] }] : []),
      { eval_time: `${evalAt}m`, alertname, exp_alerts: fired },
    ],
  };
}

/** A rule file without the SLI recordings, so the test's input series stand in for them. */
export function withoutSliRecordings(file: RuleFile): RuleFile {
  return { groups: file.groups.map((g) => ({ ...g, rules: g.rules.filter((r) => !SLI_RECORD.test(r.record ?? '')) })).filter((g) => g.rules.length > 0) };
}

export interface GeneratedTests {
  /** The test file to pass to `promtool test rules`. */
  testFile: string;
  cases: number;
}

/** Writes the stubbed rule files and one test file into dir. */
export function writePromtoolTests(ruleFiles: Map<string, RuleFile>, dir: string): GeneratedTests {
  const ruleFileNames: string[] = [];
  const tests: ReturnType<typeof testOf>[] = [];
  for (const [service, file] of ruleFiles) {
    const name = `slo-${service}.stubbed.yml`;
    writeFileSync(join(dir, name), stringify(withoutSliRecordings(file), { lineWidth: 0 }));
    ruleFileNames.push(name);
    for (const slo of slosOf(file)) {
      for (const c of cases(slo)) tests.push(testOf(slo, c, slo.page.alert!));
    }
  }
  const testFile = join(dir, 'slo.test.yml');
  writeFileSync(testFile, stringify({ rule_files: ruleFileNames, evaluation_interval: '1m', tests }, { lineWidth: 0 }));
  return { testFile, cases: tests.length };
}
