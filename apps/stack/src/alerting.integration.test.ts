// SLOs that page, end to end on the real binaries: the services, the collector, Prometheus with the
// SLO rules sloth generates from slo/lookout.slo.yaml, Alertmanager with deploy/alertmanager, and a
// loopback recorder answering as Slack and Telegram do.
//
// Time compression (ADR 0005): the SLO rules under test come from the same spec and the same
// generator (sloth), run with slo/windows/test — the 30-day windows scaled to a 10-minute period
// with the same burn factors (14.4x over 30s/10s, 6x over 1m/20s, 3x over 2m/40s, 1x over 5m/1m).
// The hand-written rules are the committed ones. Alertmanager's group timings are shortened.
//
// The fault is real: the reviewer process is stopped, so review_diff calls end in tool errors
// (the availability SLO's errors) until it is started again. Nothing in the services is changed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseToken } from '@lookout/apikeys';
import { buildHint, knownMetrics, loadRules, metricSelectors, recordedNames, renderRuleFiles, RULES_DIR, runbookNames, runbookQueries, tool } from '@lookout/slo';
import { missingPart, redisMissing, waitUntil } from '@lookout/testkit';
import { startAlertRecorder, type AlertRecorder, type Notification } from './alert-recorder.test-support.ts';
import { BACKENDS, PLATFORM, PROBES } from './components.ts';
import { backendsMissing, startTestStack, type TestStack } from './testing.ts';

// The canary too: its SLO's and runbook's series must exist on the live stack like every other.
const EVERYTHING = [...BACKENDS, ...PLATFORM, ...PROBES];
const sloth = tool('sloth');
const skip = redisMissing() ?? backendsMissing(EVERYTHING) ?? missingPart('sloth', sloth.present, buildHint(sloth));
const ALERT = 'McpToolCallAvailabilityBudgetBurn';
/** Secret-shaped values the requests carry (besides the API key): none may reach a notification. */
const DIFF_SECRETS = ['AKIAQWERTYUIOPASDFGH', 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'];
const DIFF = [
  'diff --git a/src/config.ts b/src/config.ts', '--- a/src/config.ts', '+++ b/src/config.ts', '@@ -1,1 +1,3 @@', ' export const region = "eu";',
  `+export const awsKey = "${DIFF_SECRETS[0]}";`, `+export const token = "${DIFF_SECRETS[1]}";`, '',
].join('\n');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skip)('SLOs that page: a real burn reaches Slack and Telegram, and resolves', () => {
  let stack: TestStack;
  let recorder: AlertRecorder;
  let rulesDir: string;
  let traffic: Promise<void> | undefined;
  let driving = true;
  const savedEnv = { ...process.env };
  const times: Record<string, number> = {};

  // ---------------------------------------------------------------- helpers
  const promql = async (query: string) => {
    const body = (await (await fetch(stack.url('prometheus', `/api/v1/query?${new URLSearchParams({ query })}`))).json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] }; error?: string };
    if (body.status !== 'success') throw new Error(`PromQL ${query}: ${body.error}`);
    return body.data.result;
  };
  const connect = async () => {
    const client = new Client({ name: 'alerting-e2e', version: '0.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(stack.url('mcp-server', '/mcp')), { requestInit: { headers: { authorization: `Bearer ${stack.ctx.apiKey}` } } }));
    return client;
  };
  /** Review calls from two clients until told to stop; a failed call is what the fault is for, so nothing throws. */
  const drive = async () => {
    await Promise.all(Array.from({ length: 2 }, async (_, i) => {
      const client = await connect();
      try {
        for (let n = 0; driving; n++) {
          const tool = i === 1 && n % 10 === 0 ? 'submit_review_job' : 'review_diff';
          await client.callTool({ name: tool, arguments: { diff: DIFF } }).catch(() => undefined);
          await sleep(100);
        }
      } finally {
        await client.close();
      }
    }));
  };
  const pages = (receiver: string, status: 'firing' | 'resolved') => recorder.notifications.filter(
    (n) => n.receiver === receiver && n.text.includes(`alertname: ${ALERT}`) && (status === 'resolved' ? n.text.includes('[RESOLVED') : n.text.includes('[FIRING')),
  );
  const waitForPage = (receiver: string, status: 'firing' | 'resolved', timeoutMs: number) =>
    waitUntil(`${status} ${ALERT} at ${receiver}`, () => pages(receiver, status)[0], {
      timeoutMs,
      intervalMs: 250,
      context: () => `recorded: ${recorder.notifications.map((n) => `${n.receiver}: ${n.text.split('\n')[0]}`).join(' | ') || 'nothing'}\n--- alertmanager\n${stack.get('alertmanager').process.tail(10)}`,
    });

  beforeAll(async () => {
    recorder = await startAlertRecorder();
    rulesDir = mkdtempSync(join(tmpdir(), 'lookout-alerting-rules-'));
    const overlay = [...renderRuleFiles({ windows: 'test' })].map(([name, text]) => {
      writeFileSync(join(rulesDir, name), text);
      return join(rulesDir, name);
    });
    Object.assign(process.env, { OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BLRP_SCHEDULE_DELAY: '200' });
    stack = await startTestStack({
      only: EVERYTHING,
      scrapeInterval: '1s',
      timeoutMs: 60_000,
      ruleFiles: [join(RULES_DIR, 'liveness.yml'), join(RULES_DIR, 'alerts.yml'), ...overlay],
      alertReceiverUrl: recorder.url,
      alertTiming: { group_wait: '1s', group_interval: '2s', repeat_interval: '1h' },
    });
    traffic = drive();
  }, 180_000);

  afterAll(async () => {
    driving = false;
    await traffic?.catch(() => undefined);
    await stack?.stop();
    await recorder?.close();
    if (rulesDir) rmSync(rulesDir, { recursive: true, force: true });
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }, 120_000);

  // ---------------------------------------------------------------- the burn
  it('pages Slack and Telegram when the reviewer stops and tool calls fail', async () => {
    // Healthy first: tool calls flow, and nothing pages.
    await waitUntil('tool calls counted by Prometheus', async () => (await promql('sum(rate(mcp_server_operation_duration_seconds_count{job="mcp-server", mcp_method_name="tools/call"}[10s])) > 0')).length > 0 || undefined, { timeoutMs: 60_000, intervalMs: 500 });
    expect(pages('slack-page-webhook-url', 'firing')).toEqual([]);

    times.fault = Date.now();
    await stack.stopComponent('reviewer');
    const slack = await waitForPage('slack-page-webhook-url', 'firing', 120_000);
    const telegram = await waitForPage('telegram', 'firing', 60_000);
    times.page = Math.max(slack.at, telegram.at);

    for (const message of [slack, telegram]) {
      expect(message.text).toContain(`alertname: ${ALERT}`);
      expect(message.text).toContain('severity: page');
      expect(message.text).toContain('service: mcp-server');
      expect(message.text).toContain('slo: tool-call-availability');
      expect(message.text).toContain(`runbook: https://github.com/lookout/lookout/blob/main/docs/runbooks/${ALERT}.md`);
      expect(message.text).toContain('dashboard: http://127.0.0.1:3000/d/lookout-slo/lookout-slos?var-service=mcp-server');
    }
    // Telegram was called the way the Bot API is: POST /bot<token>/sendMessage with the chat id.
    expect(telegram.path).toMatch(/^\/telegram\/bot[^/]+\/sendMessage$/);
    expect(JSON.parse(telegram.body)).toMatchObject({ chat_id: '1', parse_mode: 'HTML' });
  }, 200_000);

  it('lets the page inhibit the ticket of the same SLO (Alertmanager\'s own view)', async () => {
    interface AmAlert { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }
    const ticket = await waitUntil('the ticket of the same SLO, inhibited', async () => {
      const alerts = (await (await fetch(stack.url('alertmanager', '/api/v2/alerts'))).json()) as AmAlert[];
      return alerts.find((a) => a.labels.alertname === ALERT && a.labels.severity === 'ticket' && a.status.inhibitedBy.length > 0);
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(ticket.status.state).toBe('suppressed');
    expect(ticket.labels).toMatchObject({ service: 'mcp-server', slo: 'tool-call-availability' });
  }, 40_000);

  it('sends the page to the paging receivers only: the tickets channel gets no page', () => {
    const tickets = recorder.notifications.filter((n) => n.receiver === 'slack-tickets-webhook-url');
    expect(tickets.filter((n) => n.text.includes('severity: page'))).toEqual([]);
    const paging = recorder.notifications.filter((n) => n.receiver !== 'slack-tickets-webhook-url');
    expect(paging.length).toBeGreaterThan(0);
    expect(paging.filter((n) => n.text.includes('severity: ticket'))).toEqual([]);
  });

  it('sends the resolved notification to both receivers once the reviewer is back', async () => {
    times.repair = Date.now();
    await stack.startComponent('reviewer');
    const slack = await waitForPage('slack-page-webhook-url', 'resolved', 120_000);
    const telegram = await waitForPage('telegram', 'resolved', 60_000);
    expect(slack.at).toBeGreaterThan(times.repair);
    expect(telegram.at).toBeGreaterThan(times.repair);
    expect(slack.text).toContain(`RESOLVED alertname: ${ALERT}`);
    times.resolved = Math.max(slack.at, telegram.at);
    process.stderr.write(
      `alerting e2e: fault -> page at both receivers ${((times.page! - times.fault!) / 1000).toFixed(1)} s; repair -> resolved ${((times.resolved - times.repair) / 1000).toFixed(1)} s (10-minute test windows)\n`,
    );
  }, 200_000);

  it('lets no secret from the requests into any notification', () => {
    expect(recorder.notifications.length).toBeGreaterThan(3);
    const bodies = recorder.notifications.map((n: Notification) => n.body).join('\n');
    // The secret part, parsed as the server parses it: base64url may itself hold "_", so a
    // split on "_" could yield a one-letter tail that any notification contains by chance.
    const apiKeySecret = parseToken(stack.ctx.apiKey)?.secret;
    expect(apiKeySecret, 'the stack API key is a well-formed token').toBeDefined();
    for (const secret of [stack.ctx.apiKey, apiKeySecret!, ...DIFF_SECRETS]) expect(bodies, 'a request secret in a notification').not.toContain(secret);
    // Nor the receivers' own secrets: the webhook path and the bot token travel in URLs only.
    expect(bodies).not.toContain('/slack/slack-page-webhook-url');
    expect(bodies).not.toContain('lookout-local-placeholder');
  });

  // ---------------------------------------------------------------- queries against the live stack
  it('runs every runbook query on the live stack: PromQL on Prometheus, LogsQL on VictoriaLogs', async () => {
    const failures: string[] = [];
    const queries = runbookNames().flatMap((alert) => runbookQueries(alert));
    expect(queries.length).toBeGreaterThanOrEqual(39);
    for (const q of queries) {
      if (q.language === 'promql') {
        await promql(q.query).catch((error: Error) => failures.push(`${q.runbook}: ${error.message}`));
        continue;
      }
      const res = await fetch(stack.url(q.tenant === 2 ? 'logs-audit' : 'logs-app', '/select/logsql/query'), {
        method: 'POST',
        headers: { AccountID: String(q.tenant), ProjectID: '0' },
        body: new URLSearchParams({ query: q.query }),
      });
      if (!res.ok) failures.push(`${q.runbook} (LogsQL, HTTP ${res.status}): ${(await res.text()).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('finds in Prometheus every series the production rules and runbooks read (/api/v1/series)', async () => {
    const rules = loadRules();
    const recorded = recordedNames(rules);
    const { conditional } = knownMetrics();
    const expressions = [
      ...rules.map((r) => ({ where: r.alert ?? r.record ?? '', query: r.expr })),
      ...runbookNames().flatMap((alert) => runbookQueries(alert).filter((q) => q.language === 'promql').map((q) => ({ where: alert, query: q.query }))),
    ];
    // The metric under its job (and its exact bucket, where a rule reads one): label values that
    // only occur on failure (outcome="failed") are not what this proves.
    const matchers = new Set(metricSelectors(expressions, recorded).filter((s) => !conditional.has(s.name)).map((s) => {
      const kept = [...s.text.matchAll(/\b(job|le)="[^"]*"/g)].map((m) => m[0]);
      return `${s.name}${kept.length ? `{${kept.join(', ')}}` : ''}`;
    }));
    expect(matchers.size).toBeGreaterThan(20);
    const start = String(times.fault! / 1000 - 120);
    const missing: string[] = [];
    for (const match of matchers) {
      const body = (await (await fetch(stack.url('prometheus', `/api/v1/series?${new URLSearchParams({ 'match[]': match, start })}`))).json()) as { data: unknown[] };
      if (body.data.length === 0) missing.push(match);
    }
    expect(missing).toEqual([]);
  }, 60_000);
});
