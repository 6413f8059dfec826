// The synthetic canary, end to end on the real binaries: the platform, the canary (a probe round
// every second), the collector and its stores, Prometheus with the canary SLO's rules on sloth's
// compressed test windows (slo/windows/test, as alerting.integration.test.ts), Alertmanager to a
// loopback Slack/Telegram recorder. Faults are real: the worker is stopped (the job probe times
// out, CanarySuccessBudgetBurn pages, and resolves once it is back), and the reviewer is restarted
// with its test fault switch (the review probe reports wrong_result).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHint, renderRuleFiles, RULES_DIR, tool } from '@lookout/slo';
import { missingPart, redisMissing, waitUntil } from '@lookout/testkit';
import { startAlertRecorder, type AlertRecorder } from './alert-recorder.test-support.ts';
import { promql as promqlOf, recordedContext } from './prometheus-api.test-support.ts';
import { backendsMissing, startTestStack, type TestStack } from './testing.ts';

const ONLY = ['canary', 'worker', 'prometheus', 'alertmanager', 'collector'];
const sloth = tool('sloth');
const skip = redisMissing() ?? backendsMissing(ONLY) ?? missingPart('sloth', sloth.present, buildHint(sloth));
const ALERT = 'CanarySuccessBudgetBurn';

describe.skipIf(skip)('the synthetic canary: probes, failure reasons, and its SLO paging', () => {
  let stack: TestStack;
  let recorder: AlertRecorder;
  let rulesDir: string;
  const savedEnv = { ...process.env };
  const times: Record<string, number> = {};

  const promql = (query: string) => promqlOf(stack, query);
  const byProbe = async (query: string) => Object.fromEntries((await promql(query)).map((s) => [s.metric.probe, Number(s.value[1])]));
  const pages = (status: 'FIRING' | 'RESOLVED', after = 0) => recorder.notifications.filter((n) => n.receiver === 'slack-page-webhook-url' && n.text.includes(`alertname: ${ALERT}`) && n.text.includes(`[${status}`) && n.at > after);
  const waitFor = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000) =>
    waitUntil(what, probe, {
      timeoutMs,
      intervalMs: 500,
      context: recordedContext(stack, recorder, 'canary'),
    });

  beforeAll(async () => {
    recorder = await startAlertRecorder();
    rulesDir = mkdtempSync(join(tmpdir(), 'lookout-canary-rules-'));
    const overlay = [...renderRuleFiles({ windows: 'test' })].filter(([name]) => name === 'slo-canary.yml').map(([name, text]) => {
      writeFileSync(join(rulesDir, name), text);
      return join(rulesDir, name);
    });
    expect(overlay).toHaveLength(1);
    Object.assign(process.env, {
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      LOOKOUT_CANARY_INTERVAL_MS: '1000',
      LOOKOUT_CANARY_DEADLINE_MS: '4000',
      LOOKOUT_CANARY_JOB_DEADLINE_MS: '3000',
    });
    stack = await startTestStack({
      only: ONLY,
      scrapeInterval: '1s',
      timeoutMs: 60_000,
      ruleFiles: [join(RULES_DIR, 'liveness.yml'), join(RULES_DIR, 'alerts.yml'), ...overlay],
      alertReceiverUrl: recorder.url,
      alertTiming: { group_wait: '1s', group_interval: '2s', repeat_interval: '1h' },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await recorder?.close();
    if (rulesDir) rmSync(rulesDir, { recursive: true, force: true });
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    if (times.page) process.stderr.write(`canary e2e: worker stopped -> ${ALERT} page at the receiver ${((times.page - times.fault!) / 1000).toFixed(1)} s; restarted -> resolved ${(((times.resolved ?? NaN) - times.repair!) / 1000).toFixed(1)} s (probe round every 1 s, job deadline 3 s, 10-minute test windows)\n`);
  }, 120_000);

  it('passes every probe against the healthy platform, with its own audited key', async () => {
    // One wait for both: a probe that failed once on a busy start, after its first success, passes again.
    const last = await waitFor('every probe succeeded, and passes now', async () => {
      const success = await byProbe('max by (probe) (lookout_canary_runs_total{job="canary", outcome="success"})');
      const now = await byProbe('min by (probe) (probe_success{job="canary"})');
      return ['review', 'job', 'digest'].every((p) => (success[p] ?? 0) > 0 && now[p] === 1) ? now : undefined;
    });
    expect(last).toEqual({ review: 1, job: 1, digest: 1 });
    expect(stack.get('canary').process.output()).toContain('created the canary API key');
  }, 120_000);

  it('costs little CPU per probe run (measured, printed; not asserted)', async () => {
    const pid = stack.get('canary').process.child.pid;
    const stat = `/proc/${pid}/stat`;
    if (!existsSync(stat)) return;
    // utime + stime, in clock ticks (100 per second on Linux), after the command name's parenthesis.
    const cpuSeconds = () => readFileSync(stat, 'utf8').split(') ')[1]!.split(' ').slice(11, 13).reduce((sum, t) => sum + Number(t), 0) / 100;
    const runs = async () => Number((await promql('sum(lookout_canary_runs_total{job="canary"})'))[0]?.value[1] ?? 0);
    const [cpu0, runs0] = [cpuSeconds(), await runs()];
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const [cpu1, runs1] = [cpuSeconds(), await runs()];
    expect(runs1).toBeGreaterThan(runs0);
    times.cpuMsPerRun = ((cpu1 - cpu0) * 1000) / (runs1 - runs0);
    process.stderr.write(`canary overhead: ${times.cpuMsPerRun.toFixed(1)} ms CPU per probe run (${runs1 - runs0} runs in 8 s, a round every 1 s; includes the bootstrap's 1 s metric pushes)\n`);
  }, 60_000);

  it('stopping the worker makes the job probe fail with timeout, and the canary SLO pages', async () => {
    const timeouts = async () => (await byProbe('max by (probe) (lookout_canary_failures_total{job="canary", reason="timeout"})')).job ?? 0;
    // The counter only grows: a job probe that timed out earlier (a busy start) must not pass for this one.
    const timeoutsBefore = await timeouts();
    times.fault = Date.now();
    await stack.stopComponent('worker');
    await waitFor('job probe failing with timeout', async () => ((await timeouts()) > timeoutsBefore ? true : undefined));
    // The review probe needs no worker, so it still passes while the job probe fails.
    const now = await waitFor('probe_success with the job probe down', async () => {
      const success = await byProbe('min by (probe) (probe_success{job="canary"})');
      return success.job === 0 ? success : undefined;
    });
    expect(now).toMatchObject({ review: 1, job: 0 });
    const page = await waitFor(`${ALERT} page`, () => pages('FIRING', times.fault)[0], 150_000);
    times.page = page.at;
    expect(page.text).toContain('service: canary');
    expect(page.text).toContain(`runbook: https://github.com/lookout/lookout/blob/main/docs/runbooks/${ALERT}.md`);
  }, 200_000);

  it('resolves once the worker is back', async () => {
    times.repair = Date.now();
    await stack.startComponent('worker');
    const resolved = await waitFor(`${ALERT} resolved`, () => pages('RESOLVED', times.repair)[0], 180_000);
    times.resolved = resolved.at;
    expect(await byProbe('min by (probe) (probe_success{job="canary"})')).toEqual({ review: 1, job: 1, digest: 1 });
  }, 200_000);

  it('reports wrong_result when the reviewer returns wrong findings (its test fault switch)', async () => {
    await stack.stopComponent('reviewer');
    process.env.LOOKOUT_REVIEW_FAULT = 'wrong-findings';
    try {
      await stack.startComponent('reviewer');
      await waitFor('review probe failing with wrong_result', async () => ((await byProbe('max by (probe) (lookout_canary_failures_total{job="canary", reason="wrong_result"})')).review ?? 0) > 0 || undefined);
      expect(await byProbe('max by (probe) (lookout_canary_failures_total{job="canary", reason="wrong_result"})')).not.toHaveProperty('job');
    } finally {
      delete process.env.LOOKOUT_REVIEW_FAULT;
      await stack.stopComponent('reviewer');
      await stack.startComponent('reviewer');
    }
  }, 120_000);

  it('marks every canary span synthetic, and a failed run is one whole trace across services', async () => {
    const jaeger = async (path: string) => (await (await fetch(stack.url('jaeger', path))).json()) as { data: { spans: { operationName: string; processID: string; tags: { key: string; value: unknown }[] }[]; processes: Record<string, { serviceName: string }> }[] };
    const traces = await waitFor('canary traces in Jaeger', async () => {
      const found = await jaeger(`/api/traces?${new URLSearchParams({ service: 'canary', tags: JSON.stringify({ 'error.type': 'timeout' }), limit: '20', lookback: '1h' })}`);
      return found.data.length ? found.data : undefined;
    }, 60_000);
    const failed = traces[0]!;
    const canarySpans = failed.spans.filter((s) => failed.processes[s.processID]?.serviceName === 'canary' && s.operationName.startsWith('canary '));
    expect(canarySpans.length).toBeGreaterThan(0);
    for (const span of canarySpans) expect(span.tags).toContainEqual({ key: 'lookout.synthetic', type: 'bool', value: true });
    const services = new Set(failed.spans.map((s) => failed.processes[s.processID]?.serviceName));
    expect([...services]).toContain('mcp-server');
  }, 90_000);
});
