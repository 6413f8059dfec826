// The platform end to end, started the way `npm start` starts it (same components, same supervisor):
// Redis, reviewer, worker and mcp-server with the bootstrap, exporting OTLP to the test receiver.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest } from '@lookout/catalog';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@lookout/testkit';
import { parsePrometheusText, redisMissing, waitUntil } from '@lookout/testkit';
import { PLATFORM, type StackContext } from './components.ts';
import { startTestStack, type TestStack } from './testing.ts';

const skip = redisMissing();
const SERVICES = ['reviewer', 'worker', 'mcp-server'] as const;

const DIFF = [
  'diff --git a/src/app.ts b/src/app.ts',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,2 +1,5 @@',
  ' const a = 1;',
  '+// TODO: handle the empty case',
  '+console.log(a);',
  '+const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";',
  ' export { a };',
  '',
].join('\n');

describe.skipIf(skip)('the stack end to end', () => {
  let receiver: OtlpReceiver;
  let stack: TestStack | undefined;
  let ctx: StackContext;
  const url = (name: string, path = '') => `http://127.0.0.1:${ctx.port(name)}${path}`;

  const connect = async (token = ctx.apiKey) => {
    const client = new Client({ name: 'stack-e2e', version: '0.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url('mcp-server', '/mcp')), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    return client;
  };
  const structured = (result: unknown) => {
    const r = result as CallToolResult;
    expect(r.isError, JSON.stringify(r)).toBeFalsy();
    return r.structuredContent as Record<string, unknown>;
  };

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // Children inherit these: every span exported, metrics and logs flushed quickly, to the test receiver.
    Object.assign(process.env, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
    });
    // Redis and the services only: the test receiver stands in for the collector and backends.
    stack = await startTestStack({ only: PLATFORM });
    ctx = stack.ctx;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  }, 60_000);

  it('smoke: every service answers /health and /health/ready with 200', async () => {
    for (const name of SERVICES) {
      expect((await fetch(url(name, '/health'))).status, name).toBe(200);
      expect((await fetch(url(name, '/health/ready'))).status, name).toBe(200);
    }
  });

  it('one MCP session reviews a diff, submits a job, reads its result and gets a digest', async () => {
    const client = await connect();
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name).sort()).toEqual(['bot_digest', 'get_review', 'review_diff', 'submit_review_job']);

      const reviewed = structured(await client.callTool({ name: 'review_diff', arguments: { diff: DIFF } }));
      const findings = reviewed.findings as { module: string; line: number | null; message: string }[];
      expect(findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ module: 'todos', line: 2 }),
          expect.objectContaining({ module: 'debug_leftovers', line: 3 }),
          expect.objectContaining({ module: 'secrets', line: 4 }),
        ]),
      );
      expect(JSON.stringify(findings)).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');

      const submitted = structured(await client.callTool({ name: 'submit_review_job', arguments: { diff: DIFF } }));
      const reviewId = submitted.reviewId as string;
      const done = await waitUntil('the worker to complete the review job', async () => {
        const got = structured(await client.callTool({ name: 'get_review', arguments: { id: reviewId } }));
        const review = (got.review ?? got) as { status: string; findings?: unknown[] };
        return review.status === 'completed' ? review : undefined;
      }, { timeoutMs: 20_000, intervalMs: 250 });
      expect(done.findings).toHaveLength(findings.length);

      const digest = structured(await client.callTool({ name: 'bot_digest', arguments: { sinceMinutes: 5 } }));
      expect(digest.reviews).toBeGreaterThanOrEqual(2);
      expect(digest.findings).toBeGreaterThanOrEqual(2 * findings.length);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('rejects a bad key with 401 and WWW-Authenticate, and an unknown tool with an error', async () => {
    const res = await fetch(url('mcp-server', '/mcp'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer lk_nope_nope' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const client = await connect();
    try {
      const result = await client.callTool({ name: 'no_such_tool', arguments: {} }).catch((error: Error) => ({ isError: true, message: error.message }));
      expect((result as { isError?: boolean }).isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  const spansOf = (traceId: string) => receiver.spans().filter((s) => s.traceId === traceId);
  const serviceOf = (span: ReceivedSpan) => span.resource['service.name'];
  const orphansOf = (spans: ReceivedSpan[]) => {
    const ids = new Set(spans.map((s) => s.spanId));
    return spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId)).map((s) => `${serviceOf(s)}:${s.name}`);
  };
  // Each service exports on its own batch timer, and a parent ends after its children: a child can
  // arrive a batch before its parent. So wait for the trace to be whole (until `ready` holds and no
  // span lacks its parent), and only then assert; a parent that never comes fails, listing the orphans.
  const wholeTrace = async (traceId: string, ready: (trace: ReceivedSpan[]) => boolean, what: string) => {
    const whole = await receiver
      .waitFor(() => {
        const trace = spansOf(traceId);
        return ready(trace) && orphansOf(trace).length === 0 ? trace : undefined;
      }, { what, timeoutMs: 15_000 })
      .catch(() => spansOf(traceId));
    expect(ready(whole), `${what}: received ${whole.map((s) => `${serviceOf(s)}:${s.name}`).join(', ')}`).toBe(true);
    expect(orphansOf(whole), `${what}: spans whose parent never arrived`).toEqual([]);
    return whole;
  };

  it('traces mcp-server -> reviewer as one trace with no orphan spans', async () => {
    const toolSpan = await receiver.waitFor(
      (r) => r.spans().find((s) => serviceOf(s) === 'mcp-server' && s.attributes['gen_ai.tool.name'] === 'review_diff'),
      { what: 'the review_diff tool span' },
    );
    const spans = await wholeTrace(toolSpan.traceId, (trace) => trace.some((s) => serviceOf(s) === 'reviewer' && s.kind === 2), 'the review_diff trace with its reviewer server span');
    expect(new Set(spans.map(serviceOf))).toEqual(new Set(['mcp-server', 'reviewer']));
  });

  it('traces mcp-server -> queue -> worker: the consumer span continues the producer trace', async () => {
    const toolSpan = await receiver.waitFor(
      (r) => r.spans().find((s) => serviceOf(s) === 'mcp-server' && s.attributes['gen_ai.tool.name'] === 'submit_review_job'),
      { what: 'the submit_review_job tool span' },
    );
    const isConsumer = (s: ReceivedSpan) => serviceOf(s) === 'worker' && s.kind === 5;
    const spans = await wholeTrace(toolSpan.traceId, (trace) => trace.some(isConsumer), 'the submit_review_job trace with a worker CONSUMER span');
    expect(spans.find(isConsumer)?.attributes['messaging.system']).toBe('bullmq');
  });

  it('each /metrics exposes exactly its inventory metrics, with declared type, unit and labels', async () => {
    const manifest = buildManifest();
    // The worker runs the reviewer pipeline in-process, so it also emits the pipeline's metrics;
    // the mcp-server records audit events (@lookout/audit), so it emits the audit spool's metrics.
    const emits: Record<(typeof SERVICES)[number], string[]> = { reviewer: ['reviewer'], worker: ['worker', 'reviewer'], 'mcp-server': ['mcp-server', 'audit'] };
    // Only appear after a failure: a module that threw, telemetry that was dropped.
    // (Names as a service's own /metrics writes them: metrics_endpoint_name, not the stored name.)
    // The drift check's gauges appear only where it has targets (a stack with Prometheus or Alertmanager).
    const conditional = new Set(['lookout_review_module_failures_total', 'lookout_telemetry_dropped_total', 'lookout_config_drift', 'lookout_drift_check_success', 'lookout_drift_check_timestamp', 'lookout_slo_report_age']);
    const standard = new Map(manifest.standard_metrics.map((m) => [m.metrics_endpoint_name, m]));
    const scopeLabels = new Set(['otel_scope_name', 'otel_scope_version', 'otel_scope_schema_url', 'le']);

    for (const service of SERVICES) {
      const declared = manifest.metrics.filter((m) => m.service === 'all' || emits[service].includes(m.service));
      const families = await waitUntil(`${service} to expose its inventory metrics`, async () => {
        const scraped = parsePrometheusText(await (await fetch(url(service, '/metrics'))).text());
        return declared.every((m) => conditional.has(m.metrics_endpoint_name) || scraped.get(m.metrics_endpoint_name)?.samples.length) ? scraped : undefined;
      }, { timeoutMs: 15_000 });

      for (const metric of declared) {
        const family = families.get(metric.metrics_endpoint_name);
        if (!family) continue;
        expect(family.type, metric.metrics_endpoint_name).toBe(metric.prometheus_type);
        expect(family.unit ?? '', metric.metrics_endpoint_name).toBe(metric.unit);
        const labels = new Map(metric.labels.map((l) => [l.prometheus_name, new Set(l.values)]));
        for (const sample of family.samples) {
          for (const [name, value] of Object.entries(sample.labels)) {
            if (scopeLabels.has(name)) continue;
            expect(labels.has(name), `${service} ${metric.metrics_endpoint_name} has undeclared label ${name}`).toBe(true);
            expect(labels.get(name)?.has(value), `${service} ${metric.metrics_endpoint_name}{${name}="${value}"} is outside the declared values`).toBe(true);
          }
        }
      }
      const allowed = new Set([...declared.map((m) => m.metrics_endpoint_name), ...standard.keys()]);
      const extra = [...families.keys()].filter((name) => !allowed.has(name));
      expect(extra, `${service} exposes metrics outside the inventory`).toEqual([]);
    }
  });
});
