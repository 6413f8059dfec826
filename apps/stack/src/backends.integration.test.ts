// The whole path on the real backends, started as `npm start` starts them: services -> collector
// (production config) -> Prometheus, VictoriaLogs (app and audit instances) and Jaeger. MCP traffic
// through the SDK client, then PromQL, LogsQL and the Jaeger API, and two outages.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampledTraceId } from '@lookout/otel-bootstrap/testing';
import { redisMissing, waitUntil } from '@lookout/testkit';
import { parse } from 'yaml';
import { SLO_SPEC } from '@lookout/slo';
import { BACKENDS, components, PLATFORM } from './components.ts';
import { interpolate, labelValuesQuery, loadDashboards, panelQueries, type PanelQuery } from './dashboard-queries.test-support.ts';
import { backendsMissing, REPO_ROOT, startTestStack, type TestStack } from './testing.ts';

const EVERYTHING = [...BACKENDS, ...PLATFORM];
// The catalogue's SLOs, by the service each belongs to (one sloth document per service).
const SLO_DOCUMENTS = readFileSync(SLO_SPEC, 'utf8').split(/^---$/m).map((text) => parse(text) as { service?: string; slos?: { name: string }[] } | null).filter((d) => d?.service && d.slos);
const SLO_COUNT = SLO_DOCUMENTS.reduce((n, d) => n + d!.slos!.length, 0);
// This stack does not run the canary (its probes would change the exact MCP counts asserted here), so
// the canary's SLO has rules but no SLI: its dashboard rows may be empty.
const notStarted = (service: string) => components.some((c) => c.name === service) && !EVERYTHING.includes(service);
const SLOS_NOT_RUNNING = new Set(SLO_DOCUMENTS.filter((d) => notStarted(d!.service!)).flatMap((d) => d!.slos!.map((slo) => slo.name)));
const skip = redisMissing() ?? backendsMissing(EVERYTHING);
const SERVICES = ['reviewer', 'worker', 'mcp-server'] as const;
type Tool = 'review_diff' | 'submit_review_job';

const DIFF = ['diff --git a/src/app.ts b/src/app.ts', '--- a/src/app.ts', '+++ b/src/app.ts', '@@ -1,1 +1,3 @@', ' const a = 1;', '+// TODO: handle the empty case', '+console.log(a);', ''].join('\n');
/**
 * A W3C traceparent every service records (the test is the remote parent). The services do not trust
 * an inbound sampled flag, each decides by the trace id, so the id must be one the 10 % keeps.
 */
const sampledTraceparent = (traceId: string, parentSpanId: string) => `00-${traceId}-${parentSpanId}-01`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LOGS_OUTAGE_MS = 30_000;

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}
type LogRow = Record<string, string>;
interface JaegerTrace {
  traceID: string;
  spans: { spanID: string; processID: string; operationName: string; references: { spanID: string }[] }[];
  processes: Record<string, { serviceName: string }>;
}

describe.skipIf(skip)('the stack on the real backends: Prometheus, VictoriaLogs, Jaeger', () => {
  let stack: TestStack;
  const savedEnv = { ...process.env };
  /** Tool calls answered without an error, per tool: what every count below must equal. */
  const sent: Record<Tool, number> = { review_diff: 0, submit_review_job: 0 };
  /** x-request-id of each review_diff call, by run (8 hex digits); set by the client's fetch, kept by the services. */
  const requestIds = new Map<string, string[]>();
  /** The sampled review_diff trace the Jaeger test sends: the correlations are checked on it. */
  let reviewTraceId = '';

  // ---------------------------------------------------------------- clients
  const connect = async (options: { run?: string; traceparent?: string } = {}) => {
    let sequence = 0;
    const client = new Client({ name: 'backends-e2e', version: '0.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(stack.url('mcp-server', '/mcp')), {
      requestInit: { headers: { authorization: `Bearer ${stack.ctx.apiKey}`, ...(options.traceparent ? { traceparent: options.traceparent } : {}) } },
      // One request id per POST, so each tool call's log lines can be found (and counted) by it.
      fetch: async (url, init) => {
        // Services keep only a UUID as a client's request id: the run's 8 hex digits, then the sequence.
        const requestId = `${options.run ?? '0e2e0e2e'}-0000-4000-8000-${(sequence++).toString(16).padStart(12, '0')}`;
        const headers = new Headers(init?.headers);
        headers.set('x-request-id', requestId);
        const response = await fetch(url, { ...init, headers });
        if (options.run && typeof init?.body === 'string' && init.body.includes('"review_diff"') && response.ok) {
          requestIds.set(options.run, [...(requestIds.get(options.run) ?? []), requestId]);
        }
        return response;
      },
    });
    await client.connect(transport);
    return client;
  };
  const call = async (client: Client, tool: Tool) => {
    const result = (await client.callTool({ name: tool, arguments: { diff: DIFF } })) as CallToolResult;
    expect(result.isError, JSON.stringify(result).slice(0, 300)).toBeFalsy();
    sent[tool]++;
    return result;
  };
  /** `perClient` calls of a tool from each of `clients` clients, or until untilMs; returns failures (none thrown). */
  const drive = async (tool: Tool, { clients = 4, perClient = Infinity, untilMs = Infinity, run, pauseMs = 0 }: { clients?: number; perClient?: number; untilMs?: number; run?: string; pauseMs?: number }) => {
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: clients }, async () => {
        const client = await connect({ run });
        try {
          for (let i = 0; i < perClient && Date.now() < untilMs; i++) {
            try {
              const result = (await client.callTool({ name: tool, arguments: { diff: DIFF } })) as CallToolResult;
              if (result.isError) failures.push(JSON.stringify(result.content).slice(0, 200));
              else sent[tool]++;
            } catch (error) {
              failures.push(error instanceof Error ? error.message : String(error));
            }
            if (pauseMs) await sleep(pauseMs);
          }
        } finally {
          await client.close();
        }
      }),
    );
    return failures;
  };

  // ---------------------------------------------------------------- backends' query APIs
  const promql = async (query: string, time?: number): Promise<PromSample[]> => {
    const params = new URLSearchParams({ query, ...(time ? { time: String(time / 1000) } : {}) });
    const body = (await (await fetch(stack.url('prometheus', `/api/v1/query?${params}`))).json()) as { status: string; data: { result: PromSample[] }; error?: string };
    if (body.status !== 'success') throw new Error(`PromQL ${query}: ${body.error}`);
    return body.data.result;
  };
  /** The one value of a query that sums to a scalar-like vector, or undefined when it has no series. */
  const promValue = async (query: string, time?: number) => {
    const [first] = await promql(query, time);
    return first ? Number(first.value[1]) : undefined;
  };
  const logsql = async (instance: 'logs-app' | 'logs-audit', accountId: number, query: string): Promise<LogRow[]> => {
    const res = await fetch(stack.url(instance, '/select/logsql/query'), {
      method: 'POST',
      headers: { AccountID: String(accountId), ProjectID: '0' },
      body: new URLSearchParams({ query }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`LogsQL on ${instance} (${res.status}): ${text.slice(0, 300)}`);
    return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LogRow);
  };
  const jaeger = async <T,>(path: string): Promise<{ status: number; data: T }> => {
    const res = await fetch(stack.url('jaeger', path));
    return { status: res.status, data: ((await res.json()) as { data: T }).data };
  };
  const servicesOf = (trace: JaegerTrace) => new Set(trace.spans.map((s) => trace.processes[s.processID]?.serviceName));
  /** Spans whose parent is neither in the trace nor the test's own (remote) parent from the traceparent. */
  const orphansOf = (trace: JaegerTrace, remoteParent: string) => {
    const ids = new Set([...trace.spans.map((s) => s.spanID), remoteParent]);
    return trace.spans.filter((s) => s.references.some((r) => !ids.has(r.spanID))).map((s) => s.operationName);
  };
  /** Each component's last lines, for failure messages. */
  const tails = (names: string[]) => () => names.map((n) => `--- ${n}\n${stack.get(n).process.tail(8)}`).join('\n');

  beforeAll(async () => {
    // Children inherit these: quick pushes, a short expiry so a stopped service is seen as down in
    // seconds, and the bootstrap's default sampler (10%, parent-based; tests force theirs).
    delete process.env.OTEL_TRACES_SAMPLER;
    delete process.env.OTEL_TRACES_SAMPLER_ARG;
    Object.assign(process.env, {
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
      LOOKOUT_METRIC_EXPIRATION: '5s',
      // The worker's scheduled SLO report every 2 s, over the previous 10 s (its default is daily).
      LOOKOUT_SLO_REPORT_CRON: '*/2 * * * * *',
      LOOKOUT_SLO_REPORT_PERIOD: '10s',
      LOOKOUT_SLO_REPORT_STEP: '5s',
    });
    stack = await startTestStack({ only: EVERYTHING, scrapeInterval: '1s', timeoutMs: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }, 120_000);

  // ---------------------------------------------------------------- traffic
  const firstRun = randomUUID().slice(0, 8);

  it('serves review_diff and submit_review_job calls through the SDK client without an error', async () => {
    const [reviews, jobs] = await Promise.all([drive('review_diff', { perClient: 15, run: firstRun }), drive('submit_review_job', { clients: 2, perClient: 10 })]);
    expect(reviews).toEqual([]);
    expect(jobs).toEqual([]);
    expect(sent).toEqual({ review_diff: 60, submit_review_job: 20 });
  }, 60_000);

  // ---------------------------------------------------------------- PromQL
  /** Waits until the query's value equals the expected one (counters arrive with the next push and scrape). */
  const expectPromEventually = async (query: string, expected: () => number) => {
    let last: number | undefined;
    await waitUntil(`${query} == ${expected()}`, async () => (last = await promValue(query)) === expected() || undefined, {
      timeoutMs: 30_000,
      intervalMs: 500,
      context: () => `last value: ${last}`,
    });
    expect(await promValue(query)).toBe(expected());
  };

  it("counts each service's requests, latency, pipeline runs and jobs exactly as sent", async () => {
    const reviews = () => sent.review_diff;
    const jobs = () => sent.submit_review_job;
    // mcp-server: request counter and operation-latency histogram, per tool.
    await expectPromEventually('sum(lookout_mcp_requests_total{job="mcp-server", gen_ai_tool_name="review_diff"})', reviews);
    await expectPromEventually('sum(mcp_server_operation_duration_seconds_count{job="mcp-server", gen_ai_tool_name="review_diff"})', reviews);
    await expectPromEventually('sum(lookout_mcp_requests_total{job="mcp-server", gen_ai_tool_name="submit_review_job"})', jobs);
    // reviewer: one pipeline run per review_diff, its duration histogram, and the HTTP latency of POST /review.
    await expectPromEventually('sum(lookout_reviews_total{job="reviewer"})', reviews);
    await expectPromEventually('sum(lookout_review_duration_seconds_count{job="reviewer"})', reviews);
    await expectPromEventually('sum(http_server_request_duration_seconds_count{job="reviewer", http_route="/review"})', reviews);
    // worker: throughput (jobs processed), processing latency, and the pipeline it runs in-process.
    await expectPromEventually('sum(lookout_jobs_processed_total{job="worker"})', jobs);
    await expectPromEventually('sum(messaging_process_duration_seconds_count{job="worker"})', jobs);
    await expectPromEventually('sum(lookout_review_duration_seconds_count{job="worker"})', jobs);
  }, 120_000);

  it('shows every service live: lookout:service_up is 1 for reviewer, worker and mcp-server', async () => {
    const up = await waitUntil('lookout:service_up for every service', async () => {
      const result = await promql('lookout:service_up');
      return SERVICES.every((s) => result.some((r) => r.metric.job === s)) ? result : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    for (const service of SERVICES) expect(up.find((r) => r.metric.job === service)?.value[1], service).toBe('1');
    // Only services carry target_info: the backends' own telemetry is not mistaken for one.
    expect(up.map((r) => r.metric.job).sort()).toEqual([...SERVICES].sort());
  }, 40_000);

  // ---------------------------------------------------------------- LogsQL
  it("finds a request's log lines by request_id in the app tenant, each with its trace_id", async () => {
    const requestId = requestIds.get(firstRun)?.[0];
    expect(requestId).toBeDefined();
    // mcp-server writes one line per MCP request (the reviewer logs nothing per request at info).
    const rows = await waitUntil(`log lines of ${requestId}`, async () => {
      const found = await logsql('logs-app', 1, `request_id:=${JSON.stringify(requestId)}`);
      return found.some((r) => r['service.name'] === 'mcp-server' && r._msg === 'mcp request handled') ? found : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    for (const row of rows) {
      expect(row.request_id).toBe(requestId);
      expect(row.trace_id, `${row['service.name']}: ${row._msg}`).toMatch(/^[0-9a-f]{32}$/);
      expect(row.span_id, `${row['service.name']}: ${row._msg}`).toMatch(/^[0-9a-f]{16}$/);
    }
    // Each line is a stream of its service, as VL-Stream-Fields asks (not one per instance).
    expect(rows[0]?._stream).toBe('{deployment.environment.name="local",service.name="mcp-server"}');
  }, 40_000);

  it('keeps the tenants apart: no app record in the audit store, and an audit record only there', async () => {
    const requestId = requestIds.get(firstRun)?.[0] ?? '';
    // The app records are in logs-app under AccountID 1 (above), and nowhere else: whatever the audit
    // store holds carries the audit marker (ADR 0003), whichever service sent it.
    const unmarked = 'NOT scope.name:="@lookout/audit" NOT log.type:="audit"';
    expect(await logsql('logs-audit', 2, `request_id:=${JSON.stringify(requestId)} ${unmarked}`)).toEqual([]);
    expect(await logsql('logs-audit', 2, unmarked)).toEqual([]);
    // The same query finds app records where they belong, so the empty answer above means something.
    expect(await logsql('logs-app', 1, `${unmarked} | limit 1`)).toHaveLength(1);
    expect(await logsql('logs-app', 2, '*')).toEqual([]);
    expect(await logsql('logs-app', 0, '*')).toEqual([]);

    // The mcp-server's own audit events (an accepted API key per MCP session) are in the audit store only.
    const serviceAudit = await waitUntil('mcp-server audit events in logs-audit', async () => {
      const found = await logsql('logs-audit', 2, 'service.name:="mcp-server" "log.type":=audit | limit 5');
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(serviceAudit.every((r) => r['scope.name'] === '@lookout/audit')).toBe(true);
    expect(await logsql('logs-app', 1, '"log.type":=audit OR scope.name:="@lookout/audit"')).toEqual([]);

    // An audit record (the marker: scope @lookout/audit) sent to the collector reaches the audit store only.
    const probe = `audit-probe-${randomUUID()}`;
    const res = await fetch(`${stack.ctx.otlpEndpoint}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'audit-probe' } }] },
            scopeLogs: [
              {
                scope: { name: '@lookout/audit' },
                logRecords: [{ timeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`, severityNumber: 9, body: { stringValue: probe } }],
              },
            ],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const audit = await waitUntil('the audit probe in logs-audit', async () => {
      const found = await logsql('logs-audit', 2, `_msg:=${JSON.stringify(probe)}`);
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.['scope.name']).toBe('@lookout/audit');
    expect(await logsql('logs-app', 1, `_msg:=${JSON.stringify(probe)}`)).toEqual([]);
    expect(await logsql('logs-audit', 1, `_msg:=${JSON.stringify(probe)}`)).toEqual([]);
  }, 40_000);

  // ---------------------------------------------------------------- Jaeger
  // Whole: every span's parent is in the trace (or is the caller's remote parent). Each service
  // exports on its own batch timer and a parent ends after its children, so a child can reach
  // Jaeger a batch before its parent; asserting on the first sight of both services would race.
  const waitForTrace = (traceId: string, services: string[], remoteParent: string) => {
    let seen = '';
    return waitUntil(`trace ${traceId}, whole, with spans from ${services.join(', ')}`, async () => {
      const { status, data } = await jaeger<JaegerTrace[]>(`/api/traces/${traceId}`);
      const trace = status === 200 ? data[0] : undefined;
      const orphans = trace ? orphansOf(trace, remoteParent) : [];
      seen = trace ? `${[...servicesOf(trace)].join(', ')}; spans whose parent is missing: ${orphans.join(', ') || 'none'}` : `HTTP ${status}`;
      return trace && services.every((s) => servicesOf(trace).has(s)) && orphans.length === 0 ? trace : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500, context: () => `seen: ${seen}` });
  };

  it('finds a sampled review_diff trace by ID and by a search on service + tag, spanning mcp-server and reviewer', async () => {
    const traceId = sampledTraceId();
    const parent = randomBytes(8).toString('hex');
    const since = Date.now() - 1000;
    const client = await connect({ traceparent: sampledTraceparent(traceId, parent) });
    try {
      await call(client, 'review_diff');
    } finally {
      await client.close();
    }
    const trace = await waitForTrace(traceId, ['mcp-server', 'reviewer'], parent);
    expect(servicesOf(trace)).toEqual(new Set(['mcp-server', 'reviewer']));
    reviewTraceId = traceId;

    const params = new URLSearchParams({
      service: 'mcp-server',
      tags: JSON.stringify({ 'gen_ai.tool.name': 'review_diff' }),
      start: String(since * 1000),
      end: String((Date.now() + 60_000) * 1000),
      limit: '1000',
    });
    const found = await waitUntil('the trace in a search by service and tag', async () => {
      const { data } = await jaeger<JaegerTrace[]>(`/api/traces?${params}`);
      return data.find((t) => t.traceID === traceId);
    }, { timeoutMs: 20_000, intervalMs: 500 });
    expect(servicesOf(found)).toEqual(new Set(['mcp-server', 'reviewer']));
    // A tag no span has finds nothing, so the search above really filtered.
    params.set('tags', JSON.stringify({ 'gen_ai.tool.name': 'no_such_tool' }));
    expect((await jaeger<JaegerTrace[]>(`/api/traces?${params}`)).data).toEqual([]);
  }, 60_000);

  it('finds a sampled submit_review_job trace spanning mcp-server and the worker that ran the job', async () => {
    const traceId = sampledTraceId();
    const parent = randomBytes(8).toString('hex');
    const client = await connect({ traceparent: sampledTraceparent(traceId, parent) });
    try {
      await call(client, 'submit_review_job');
    } finally {
      await client.close();
    }
    const trace = await waitForTrace(traceId, ['mcp-server', 'worker'], parent);
    expect(servicesOf(trace)).toEqual(new Set(['mcp-server', 'worker']));
  }, 60_000);

  // ---------------------------------------------------------------- Grafana's queries, without Grafana
  /** Whether one dashboard query returns anything on the live stack, asked the way Grafana's data source would. */
  const answers = async (q: PanelQuery): Promise<boolean> => {
    const now = Date.now();
    if (q.kind === 'promql') {
      const range = new URLSearchParams({ query: q.query, start: String(now / 1000 - 600), end: String(now / 1000), step: '15' });
      const path = q.instant ? `/api/v1/query?${new URLSearchParams({ query: q.query })}` : `/api/v1/query_range?${range}`;
      const body = (await (await fetch(stack.url('prometheus', path))).json()) as { status: string; error?: string; data: { result: unknown[] } };
      if (body.status !== 'success') throw new Error(`${q.where}: Prometheus refused ${q.query}: ${body.error}`);
      return body.data.result.length > 0;
    }
    if (q.kind === 'logsql') return (await logsql('logs-app', 1, `_time:1h ${q.query}`)).length > 0;
    const params = new URLSearchParams({ service: q.query, start: String((now - 3_600_000) * 1000), end: String(now * 1000), limit: '20' });
    return (await jaeger<JaegerTrace[]>(`/api/traces?${params}`)).data.length > 0;
  };

  it('answers every query of every dashboard panel with data, except the panels declared possibly empty', async () => {
    const dashboards = loadDashboards(join(REPO_ROOT, 'deploy', 'grafana', 'dashboards'));
    const queries: PanelQuery[] = [];
    for (const dashboard of dashboards) {
      // Each variable's options, as Grafana resolves label_values() (with the variables before it substituted).
      const values: Record<string, string[]> = {};
      for (const variable of dashboard.templating.list) {
        const { match, label } = labelValuesQuery(variable.query);
        const params = new URLSearchParams({ 'match[]': interpolate(match, values, '1m') });
        const body = (await (await fetch(stack.url('prometheus', `/api/v1/label/${label}/values?${params}`))).json()) as { data: string[] };
        values[variable.name] = body.data;
        expect(body.data, `${dashboard.uid} variable ${variable.name}`).not.toEqual([]);
      }
      queries.push(...panelQueries(dashboard, values, '1m'));
    }
    expect([...new Set(queries.map((q) => q.kind))].sort()).toEqual(['jaeger', 'logsql', 'promql']);
    expect([...SLOS_NOT_RUNNING]).toEqual(['success']); // the canary's, and only it
    for (const q of queries) if (SLOS_NOT_RUNNING.has(/\(slo=([^)]+)\)$/.exec(q.where)?.[1] ?? '')) q.mayBeEmpty = true;
    let empty: PanelQuery[] = queries;
    // Retried as a whole: the last pushes, scrapes and rule evaluations after the traffic land within seconds.
    await waitUntil('every dashboard query that must return data to return data', async () => {
      const results = await Promise.all(empty.map(async (q) => ((await answers(q)) ? undefined : q)));
      empty = results.filter((q): q is PanelQuery => q !== undefined && !q.mayBeEmpty);
      return empty.length === 0 || undefined;
    }, { timeoutMs: 45_000, intervalMs: 2000, context: () => `still empty:\n${empty.map((q) => `${q.where}: ${q.query}`).join('\n')}` });
    // 3 dashboards; most panels have one query, repeated rows one per SLO or service.
    expect(queries.length).toBeGreaterThan(60);
  }, 90_000);

  it('follows the provisioned correlations live: trace -> its log lines, log line -> its trace', async () => {
    expect(reviewTraceId).toMatch(/^[0-9a-f]{32}$/);
    const provisioning = parse(readFileSync(join(REPO_ROOT, 'deploy', 'grafana', 'provisioning', 'datasources', 'datasources.yaml'), 'utf8')) as { datasources: { uid: string; jsonData?: { tracesToLogsV2?: { query: string } } }[] };
    // What Grafana stores after provisioning ($$ is a literal $; packages/deploy-config/src/grafana-provisioning-values.ts), then its own ${__trace.traceId}.
    const stored = provisioning.datasources.find((ds) => ds.uid === 'jaeger')!.jsonData!.tracesToLogsV2!.query.replaceAll('$$', '$');
    const query = stored.replace('${__trace.traceId}', reviewTraceId);
    expect(query).not.toContain('$');
    const rows = await waitUntil(`log lines of trace ${reviewTraceId}`, async () => {
      const found = await logsql('logs-app', 1, `_time:1h ${query}`);
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(new Set(rows.map((r) => r.trace_id))).toEqual(new Set([reviewTraceId]));
    // The derived field's value (trace_id) opens the trace in Jaeger.
    const { status, data } = await jaeger<JaegerTrace[]>(`/api/traces/${rows[0]!.trace_id}`);
    expect(status).toBe(200);
    expect(data[0]?.traceID).toBe(reviewTraceId);
  }, 40_000);

  // ---------------------------------------------------------------- the SLO report (lookout slo report)
  it('writes an SLO report as RFC 4180 CSV whose every figure equals the same PromQL run directly', async () => {
    // The report's 30 s must lie after Prometheus's first rule evaluations (run alone, this test comes early).
    await waitUntil('Prometheus up for 40 s', async () => ((await promValue('time() - process_start_time_seconds{job="prometheus"}')) ?? 0) > 40 || undefined, { timeoutMs: 45_000, intervalMs: 1000 });
    // Ending 5 s back: every rule evaluation stamped before it has landed by the time the report asks.
    const to = new Date(Date.now() - 5000);
    const from = new Date(to.getTime() - 30_000);
    const args = [join(REPO_ROOT, 'apps', 'cli', 'src', 'main.ts'), 'slo', 'report', '--from', from.toISOString(), '--to', to.toISOString(), '--step', '5s', '--format', 'csv', '--prometheus-url', stack.url('prometheus', '')];
    const { stdout } = await promisify(execFile)(process.execPath, args, { env: { ...process.env, LOOKOUT_LOG_LEVEL: 'silent' } });
    expect(stdout.endsWith('\r\n')).toBe(true);
    const [header, ...lines] = stdout.slice(0, -2).split('\r\n');
    expect(header).toBe('time,service,slo,sli,objective,error_budget_remaining,burn_rate_1h,burn_rate_6h,alert_firing');
    const rows = lines.map((line) => Object.fromEntries(header!.split(',').map((name, i) => [name, line.split(',')[i]!])));
    // Every SLO of the catalogue at every step (from, +5 s, ... to) since Prometheus started.
    const times = new Set(rows.map((r) => r.time)).size;
    expect(new Set(rows.map((r) => `${r.service}/${r.slo}`)).size).toBe(SLO_COUNT);
    expect(times).toBeGreaterThanOrEqual(2);
    expect(rows).toHaveLength(SLO_COUNT * times);
    // The same figures, by PromQL written here, evaluated at each row's time.
    const direct = async (query: string, time: string) => {
      const [sample] = await promql(query, Date.parse(time));
      const value = sample ? Number(sample.value[1]) : Number.NaN;
      return Number.isNaN(value) ? '' : String(value);
    };
    let checked = 0;
    for (const row of rows) {
      expect(row.time, 'UTC ISO 8601').toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const slo = `sloth_service="${row.service}", sloth_slo="${row.slo}"`;
      const expected = {
        sli: `1 - avg_over_time(slo:sli_error:ratio_rate5m{${slo}}[5s])`,
        objective: `slo:objective:ratio{${slo}}`,
        error_budget_remaining: `slo:period_error_budget_remaining:ratio{${slo}}`,
        burn_rate_1h: `slo:sli_error:ratio_rate1h{${slo}} / on (sloth_id) slo:error_budget:ratio{${slo}}`,
        burn_rate_6h: `slo:sli_error:ratio_rate6h{${slo}} / on (sloth_id) slo:error_budget:ratio{${slo}}`,
      };
      for (const [column, query] of Object.entries(expected)) {
        expect(row[column], `${row.time} ${row.service}/${row.slo} ${column}`).toBe(await direct(query, row.time!));
        checked++;
      }
      expect(row.alert_firing).toBe((await direct(`count(ALERTS{alertstate="firing", ${slo}})`, row.time!)) ? 'true' : 'false');
    }
    expect(checked).toBe(rows.length * 5);
    // A healthy stack: every SLO has a figure, the objectives are the catalogue's.
    expect(rows.filter((r) => r.objective === '').map((r) => r.slo)).toEqual([]);
    // --format json: the same rows, as objects with numbers, booleans and null for an absent figure.
    const json = JSON.parse((await promisify(execFile)(process.execPath, args.map((a) => (a === 'csv' ? 'json' : a)), { env: { ...process.env, LOOKOUT_LOG_LEVEL: 'silent' } })).stdout) as Record<string, unknown>[];
    expect(json.map((r) => `${r.time} ${r.service}/${r.slo} ${r.objective}`)).toEqual(rows.map((r) => `${r.time} ${r.service}/${r.slo} ${r.objective}`));
    expect(json.every((r) => typeof r.alert_firing === 'boolean' && (r.sli === null || typeof r.sli === 'number'))).toBe(true);
    // (sloth writes 99.9 % as 0.9990000000000001: the CSV keeps what Prometheus stores, digit for digit.)
    expect(new Set(rows.map((r) => Number(r.objective).toFixed(4)))).toEqual(new Set(['0.9950', '0.9900', '0.9990']));
  }, 100_000);

  it("writes the worker's scheduled SLO report: the previous period's CSV in the reports directory, its runs and age measured", async () => {
    const dir = join(stack.ctx.dataDir, 'reports');
    const newest = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().at(-1) : undefined);
    // A whole period's report: every SLO x 2 steps (a 10 s period at 5 s steps, its end excluded). The
    // first runs may cover a period from before the SLO rules had evaluated, with fewer rows.
    const { file, lines } = await waitUntil('a scheduled SLO report of a whole period', async () => {
      const name = newest();
      const text = name ? readFileSync(join(dir, name), 'utf8') : '';
      const rows = text.split('\r\n').filter(Boolean);
      return rows.length === 1 + SLO_COUNT * 2 ? { file: name!, lines: rows } : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500, context: () => `files: ${existsSync(dir) ? readdirSync(dir).join(', ') : '(no folder)'}\n${tails(['worker'])()}` });
    expect(lines[0]).toBe('time,service,slo,sli,objective,error_budget_remaining,burn_rate_1h,burn_rate_6h,alert_firing');
    // slo-report-<start>-<end>.csv; the rows' times are the period's steps.
    const [, start, end] = /^slo-report-(\d{8}T\d{6}Z)-(\d{8}T\d{6}Z)\.csv$/.exec(file)!;
    const iso = (compact: string) => compact.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6.000Z');
    const times = new Set(lines.slice(1).map((line) => line.split(',')[0]));
    expect([...times].sort()).toEqual([iso(start!), new Date(Date.parse(iso(start!)) + 5000).toISOString()]);
    expect(Date.parse(iso(end!)) - Date.parse(iso(start!))).toBe(10_000);
    expect(lines.length - 1).toBe(SLO_COUNT * times.size);

    const runs = await waitUntil('lookout_slo_report_runs_total{outcome="success"}', async () => await promValue('sum(lookout_slo_report_runs_total{job="worker", outcome="success"})'), { timeoutMs: 30_000, intervalMs: 500 });
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(await promValue('sum(lookout_slo_report_runs_total{job="worker", outcome="failure"}) or vector(0)')).toBe(0);
    const age = await promValue('max(lookout_slo_report_age_seconds{job="worker"})');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
  }, 60_000);

  // ---------------------------------------------------------------- lookout trace
  const lookout = async (...args: string[]) => {
    const cli = join(REPO_ROOT, 'apps', 'cli', 'src', 'main.ts');
    const env = { ...process.env, LOOKOUT_LOG_LEVEL: 'silent', LOOKOUT_JAEGER_URL: stack.url('jaeger', ''), LOOKOUT_LOGS_APP_URL: stack.url('logs-app', '') };
    return (await promisify(execFile)(process.execPath, [cli, ...args], { env })).stdout;
  };

  it('lookout trace prints the review_diff trace as a waterfall, each span with its log lines; finds it by request id and in a service listing', async () => {
    expect(reviewTraceId).toMatch(/^[0-9a-f]{32}$/);
    const waterfall = await lookout('trace', reviewTraceId);
    const lines = waterfall.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^trace ${reviewTraceId} .* 2 service\\(s\\), 0 error\\(s\\)$`));
    const mcp = lines.findIndex((l) => /mcp-server: .* ok/.test(l));
    const reviewer = lines.findIndex((l) => /reviewer: .* ok/.test(l));
    expect(mcp).toBeGreaterThan(0);
    expect(reviewer).toBeGreaterThan(mcp);
    // The mcp-server's request log line sits under one of its spans (found in VictoriaLogs by trace_id).
    expect(lines.some((l) => /│ \d\d:\d\d:\d\d\.\d{3} info +mcp request handled$/i.test(l)), waterfall).toBe(true);

    // By request id: the services keep the caller's x-request-id on their log lines, with the trace id.
    // (This test's clients reuse request ids across connections, so the id may lead to more traces.)
    const [requestId] = (await logsql('logs-app', 1, `trace_id:=${JSON.stringify(reviewTraceId)} request_id:* | fields request_id | limit 1`)).map((r) => r.request_id);
    expect(requestId).toBeDefined();
    expect(await lookout('trace', '--request-id', requestId!)).toMatch(new RegExp(`^trace ${reviewTraceId} `, 'm'));

    // Listing: the trace is among mcp-server's recent ones, and not among its error traces.
    expect(await lookout('trace', '--service', 'mcp-server', '--last', '10m', '--limit', '100')).toContain(reviewTraceId);
    expect(await lookout('trace', '--service', 'mcp-server', '--last', '10m', '--errors')).not.toContain(reviewTraceId);
  }, 60_000);

  // ---------------------------------------------------------------- npm start's table
  it("npm start's table tells UIs from APIs truthfully: each UI serves a page, an API-only URL none, and the APIs answer", async () => {
    const links = stack.started.flatMap(({ component }) => Object.entries(component.links(stack.ctx)).map(([label, url]) => ({ component: component.name, label, url })));
    const page = async (url: string) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
    };
    const uis = links.filter((l) => / UI\b/.test(l.label) && !/no UI/.test(l.label));
    const apiOnly = links.filter((l) => /no UI/.test(l.label));
    expect(uis.map((l) => l.component).sort()).toEqual(['alertmanager', 'logs-app', 'logs-audit']);
    expect(apiOnly.map((l) => l.component).sort()).toEqual(['jaeger', 'prometheus']);
    for (const ui of uis) {
      const served = await page(ui.url);
      expect(served.status, ui.label).toBe(200);
      expect(served.type, ui.label).toMatch(/^text\/html/);
      expect(served.body, ui.label).toMatch(/<script/);
    }
    // The module builds: Prometheus has no UI assets (500), Jaeger serves a placeholder "Test Page".
    for (const api of apiOnly) {
      const served = await page(api.url);
      expect(served.status !== 200 || /<title>Test Page<\/title>/.test(served.body), `${api.label}: ${served.status} ${served.body.slice(0, 200)}`).toBe(true);
    }
    // ... while the APIs the table names answer.
    expect((await page(stack.url('prometheus', '/api/v1/query?query=1'))).status).toBe(200);
    expect((await page(stack.url('jaeger', '/api/services'))).status).toBe(200);
    expect((await page(stack.url('alertmanager', '/api/v2/alerts'))).status).toBe(200);
  }, 30_000);

  // ---------------------------------------------------------------- a stopped service
  it('shows a stopped service as down, and up again after a restart', async () => {
    await stack.stopComponent('worker');
    await waitUntil('lookout:service_up{job="worker"} to disappear', async () => (await promValue('absent(lookout:service_up{job="worker"})')) === 1 || undefined, {
      timeoutMs: 40_000,
      intervalMs: 500,
    });
    // The others stay up.
    for (const service of ['reviewer', 'mcp-server']) expect(await promValue(`lookout:service_up{job="${service}"}`), service).toBe(1);
    await stack.startComponent('worker');
    await waitUntil('lookout:service_up{job="worker"} == 1', async () => (await promValue('lookout:service_up{job="worker"}')) === 1 || undefined, {
      timeoutMs: 40_000,
      intervalMs: 500,
    });
  }, 100_000);

  // ---------------------------------------------------------------- outages
  it(`loses no log record while logs-app is down for ${LOGS_OUTAGE_MS / 1000} s during traffic`, async () => {
    const run = randomUUID().slice(0, 8);
    const trafficEnds = Date.now() + LOGS_OUTAGE_MS + 8000;
    const traffic = drive('review_diff', { clients: 2, untilMs: trafficEnds, run, pauseMs: 50 });
    await sleep(2000);
    await stack.stopComponent('logs-app');
    await sleep(LOGS_OUTAGE_MS);
    await stack.startComponent('logs-app');
    expect(await traffic).toEqual([]);
    const expected = requestIds.get(run) ?? [];
    expect(expected.length).toBeGreaterThan(100);

    // Every review_diff call logged one 'mcp request handled' line with its request id.
    let missing: string[] = expected;
    await waitUntil(`all ${expected.length} log lines of ${run} in logs-app`, async () => {
      const rows = await logsql('logs-app', 1, `request_id:${JSON.stringify(`${run}-`)}* service.name:="mcp-server" _msg:="mcp request handled" | fields request_id`);
      const found = new Set(rows.map((r) => r.request_id));
      missing = expected.filter((id) => !found.has(id));
      return missing.length === 0 || undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000, context: () => `${missing.length} missing, e.g. ${missing.slice(0, 5).join(', ')}\n${tails(['collector'])()}` });
    expect(missing).toEqual([]);
  }, 180_000);

  it('keeps data from before a Prometheus stop, and nothing else crashes or stops', async () => {
    // A point in the past that is safely scraped: count the samples of a steady series up to it. Five
    // scrape intervals back, so no scrape stamped before it can still be landing (scrape_timeout is 1 s).
    await sleep(3000);
    const before = Date.now() - 5000;
    const window = 'count_over_time(up{job="otel-collector"}[30s])';
    const samplesBefore = await promValue(window, before);
    expect(samplesBefore).toBeGreaterThan(0);

    await stack.stopComponent('prometheus');
    await sleep(5000);
    await stack.startComponent('prometheus');

    // The same window after the restart: the TSDB (WAL) kept it.
    expect(await promValue(window, before)).toBe(samplesBefore);
    // Counters still match what was sent: nothing before the stop went missing, scraping goes on.
    await expectPromEventually('sum(lookout_reviews_total{job="reviewer"})', () => sent.review_diff);
    for (const { component, process: proc } of stack.started) {
      expect(proc.child.exitCode, `${component.name} exited`).toBeNull();
      expect(proc.child.signalCode, `${component.name} was killed`).toBeNull();
    }
    const client = await connect();
    try {
      await call(client, 'review_diff');
    } finally {
      await client.close();
    }
  }, 90_000);
});
