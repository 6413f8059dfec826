// Configuration drift, end to end on the real binaries: the stack as npm start runs it (Prometheus,
// Alertmanager, the collector and its stores, Redis, the worker with its drift job every 2 s), a
// rule group and then an Alertmanager route changed on the running servers (the loaded file edited,
// /-/reload): the worker's check reports the drift, Prometheus fires ConfigDrift, Alertmanager
// sends the ticket; restoring the file clears both. `lookout drift` agrees at every step.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing, startProcess, waitUntil } from '@lookout/testkit';
import { startAlertRecorder, type AlertRecorder } from './alert-recorder.test-support.ts';
import { promql as promqlOf, recordedContext } from './prometheus-api.test-support.ts';
import { backendsMissing, REPO_ROOT, startTestStack, type TestStack } from './testing.ts';

const ONLY = ['prometheus', 'alertmanager', 'collector', 'worker'];
const skip = redisMissing() ?? backendsMissing(ONLY);
const CHECK_INTERVAL_MS = 2000;
const CLI = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));

describe.skipIf(skip)('configuration drift: reported by the worker, alerted, cleared on restore', () => {
  let stack: TestStack;
  let recorder: AlertRecorder;
  let rulesDir: string;
  const savedEnv = { ...process.env };
  const latency: Record<string, number> = {};

  const promql = (query: string) => promqlOf(stack, query);
  const value = async (query: string) => (await promql(query)).map((s) => Number(s.value[1]))[0];
  const reload = async (component: 'prometheus' | 'alertmanager') => {
    const res = await fetch(stack.url(component, '/-/reload'), { method: 'POST' });
    expect(res.status, `${component} reload: ${await res.text()}`).toBe(200);
  };
  const lookoutDrift = async () => {
    const child = startProcess({
      name: 'lookout drift',
      command: process.execPath,
      args: [CLI, 'drift', '--format', 'json', '--data-dir', stack.ctx.dataDir, '--prometheus-url', stack.url('prometheus'), '--alertmanager-url', stack.url('alertmanager')],
    });
    const code = await child.exited;
    return { code, report: JSON.parse(child.output()) as { results: { component: string; status: string; drifted: { object: string; changes: { path: string; expected: unknown; deployed: unknown }[] }[] }[] } };
  };
  const tickets = (alert: string, component: string, status: 'FIRING' | 'RESOLVED') => recorder.notifications.filter(
    (n) => n.receiver === 'slack-tickets-webhook-url' && n.text.includes(`alertname: ${alert}`) && n.text.includes(`service: ${component}`) && n.text.includes(`[${status}`),
  );
  const waitFor = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined) =>
    waitUntil(what, probe, {
      timeoutMs: 60_000,
      intervalMs: 250,
      context: recordedContext(stack, recorder, 'worker'),
    });
  /**
   * What every check the worker started after `since` (ms) reported for the object: the first check
   * after a change sees it. Both queries share one `end`, or a step between two ends would be in one
   * answer only.
   */
  const checksSince = async (since: number, component: string, object: string) => {
    const end = String(Date.now() / 1000);
    const range = async (query: string) => {
      const params = new URLSearchParams({ query, start: String(since / 1000), end, step: '0.5' });
      const body = (await (await fetch(stack.url('prometheus', `/api/v1/query_range?${params}`))).json()) as { data: { result: { values: [number, string][] }[] } };
      return new Map((body.data.result[0]?.values ?? []).map(([t, v]) => [t, Number(v)]));
    };
    const drift = await range(`max(lookout_config_drift{component="${component}", object="${object}"})`);
    const checked = await range(`max(lookout_drift_check_timestamp_seconds{component="${component}"})`);
    return [...checked].filter(([, at]) => at * 1000 > since).map(([t]) => drift.get(t));
  };

  beforeAll(async () => {
    recorder = await startAlertRecorder();
    // Prometheus loads copies of the committed rule files: editing one changes the server, not the repository.
    rulesDir = join(mkdtempSync(join(tmpdir(), 'lookout-drift-rules-')), 'rules');
    cpSync(join(REPO_ROOT, 'deploy', 'prometheus', 'rules'), rulesDir, { recursive: true });
    Object.assign(process.env, { OTEL_METRIC_EXPORT_INTERVAL: '1000', LOOKOUT_DRIFT_INTERVAL_MS: String(CHECK_INTERVAL_MS) });
    stack = await startTestStack({
      only: ONLY,
      scrapeInterval: '1s',
      timeoutMs: 60_000,
      ruleFiles: [join(rulesDir, '*.yml')],
      alertReceiverUrl: recorder.url,
      alertTiming: { group_wait: '1s', group_interval: '2s', repeat_interval: '1h' },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await recorder?.close();
    if (rulesDir) rmSync(join(rulesDir, '..'), { recursive: true, force: true });
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    process.stderr.write(`drift e2e: change -> drift reported by the worker: rule group ${latency.rules} ms, route ${latency.route} ms; -> ConfigDrift ticket at the receiver: ${latency.rulesTicket} ms, ${latency.routeTicket} ms (check interval ${CHECK_INTERVAL_MS} ms, scrape and push 1 s)\n`);
  }, 120_000);

  it('starts in sync: the worker checks both and reports no drift, and `lookout drift` exits 0', async () => {
    await waitFor('both drift checks succeeded', async () => ((await promql('lookout_drift_check_success == 1')).length === 2 ? true : undefined));
    expect(await value('max(lookout_config_drift)')).toBe(0);
    const { code, report } = await lookoutDrift();
    expect(report.results.map((r) => [r.component, r.status])).toEqual([['prometheus', 'in_sync'], ['alertmanager', 'in_sync']]);
    expect(code).toBe(0);
  }, 90_000);

  it('reports a rule group changed on the running Prometheus at the first check, fires ConfigDrift, and clears both on restore', async () => {
    const file = join(rulesDir, 'alerts.yml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('expr: up == 0\n        for: 5m', 'expr: up == 0\n        for: 15m'));
    const changed = Date.now();
    await reload('prometheus');
    // A check that started while the reload ran may have read the old rules.
    const reloaded = Date.now();
    await waitFor('rule_groups drift in Prometheus', async () => ((await value('max(lookout_config_drift{component="prometheus", object="rule_groups"})')) === 1 ? true : undefined));
    latency.rules = Date.now() - changed;
    const ticket = await waitFor('ConfigDrift ticket for prometheus', () => tickets('ConfigDrift', 'prometheus', 'FIRING')[0]);
    latency.rulesTicket = ticket.at - changed;
    expect(ticket.text).toContain('runbook: https://github.com/lookout/lookout/blob/main/docs/runbooks/ConfigDrift.md');
    const reported = await checksSince(reloaded, 'prometheus', 'rule_groups');
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.filter((d) => d !== 1)).toEqual([]);

    const { code, report } = await lookoutDrift();
    expect(code).toBe(1);
    expect(report.results[0]?.drifted).toEqual([{ section: 'rule_groups', object: 'rule_groups/alerts.yml/lookout-alerts', changes: [{ path: 'rules["PrometheusTargetDown#1"].for', kind: 'changed', expected: '5m', deployed: '15m' }] }]);

    writeFileSync(file, original);
    const restored = Date.now();
    await reload('prometheus');
    await waitFor('ConfigDrift resolved for prometheus', () => tickets('ConfigDrift', 'prometheus', 'RESOLVED').find((n) => n.at > restored));
    expect(await value('max(lookout_config_drift{component="prometheus"})')).toBe(0);
    expect((await lookoutDrift()).code).toBe(0);
  }, 120_000);

  it('reports a route changed on the running Alertmanager, fires ConfigDrift, and clears both on restore', async () => {
    const file = join(stack.ctx.dataDir, 'alertmanager', 'alertmanager.yml');
    const original = readFileSync(file, 'utf8');
    const edited = original.replace('repeat_interval: 24h', 'repeat_interval: 12h');
    expect(edited).not.toBe(original);
    writeFileSync(file, edited);
    const changed = Date.now();
    await reload('alertmanager');
    const reloaded = Date.now();
    await waitFor('route drift in Alertmanager', async () => ((await value('max(lookout_config_drift{component="alertmanager", object="route"})')) === 1 ? true : undefined));
    latency.route = Date.now() - changed;
    const ticket = await waitFor('ConfigDrift ticket for alertmanager', () => tickets('ConfigDrift', 'alertmanager', 'FIRING')[0]);
    latency.routeTicket = ticket.at - changed;
    const reported = await checksSince(reloaded, 'alertmanager', 'route');
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.filter((d) => d !== 1)).toEqual([]);
    const { code, report } = await lookoutDrift();
    expect(code).toBe(1);
    expect(report.results[1]?.drifted.map((o) => [o.object, o.changes.map((c) => [c.path, c.expected, c.deployed])])).toEqual([['route', [['routes[2].repeat_interval', '1d', '12h']]]]);

    writeFileSync(file, original);
    const restored = Date.now();
    await reload('alertmanager');
    await waitFor('ConfigDrift resolved for alertmanager', () => tickets('ConfigDrift', 'alertmanager', 'RESOLVED').find((n) => n.at > restored));
    expect(await value('max(lookout_config_drift{component="alertmanager"})')).toBe(0);
  }, 120_000);
});
