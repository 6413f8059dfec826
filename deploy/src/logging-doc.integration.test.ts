// Runs every sample query of docs/operations/logging.md on the real VictoriaLogs (the pinned binary
// npm start runs), over records shaped as the collector delivers them (OTLP, same attribute names as
// @lookout/logger and @lookout/audit), in the tenants the doc names. Each query must parse and find
// something; the wrong tenant must find nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { components } from '@lookout/stack/components';
import { freePort, missingPart, otlpRequestType, REPO_ROOT, startProcess, waitForHttp, waitUntil, type RunningProcess } from '@lookout/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractDocQueries } from './logging-doc.ts';
import { defaultContext } from './stack-parity.ts';

const DOC = join(REPO_ROOT, 'docs', 'operations', 'logging.md');
const logsAudit = components.find((c) => c.name === 'logs-audit')!;
const binary = logsAudit.start(defaultContext(REPO_ROOT)).command;
const skip = missingPart('VictoriaLogs (victoria-logs binary)', (() => {
  try {
    readFileSync(binary);
    return true;
  } catch {
    return false;
  }
})(), 'run `bash scripts/backends/build.sh victorialogs`');

// The ids the doc's examples use: the records below carry them, so every example finds something.
const REQUEST_ID = '3f0c2a9e-8b1d-4c55-9a7e-2d4f6b8c1e90';
const TRACE_ID = '8a3b11bb4134551b0a523d82c4e8e31f';
const ACTOR = '5eed5eed5eed5eed';

// OTLP/HTTP protobuf, as the collector's otlp_http exporters send it (VictoriaLogs takes no OTLP/JSON).
// The schema is testkit's vendored opentelemetry-proto release.
const logsRequestType = () => otlpRequestType('logs');

type Attr = { key: string; value: { stringValue: string } };
const attrs = (map: Record<string, string>): Attr[] => Object.entries(map).map(([key, value]) => ({ key, value: { stringValue: value } }));

interface DocRecord {
  body: string;
  severity: number;
  attributes: Record<string, string>;
  traceId?: string;
}

/** One ExportLogsServiceRequest: one service, one instrumentation scope, records a minute old. */
function otlpLogs(service: string, scope: string, records: DocRecord[]): Uint8Array {
  const start = Date.now() - 60_000;
  const message = {
    resourceLogs: [{
      resource: { attributes: attrs({ 'service.name': service, 'deployment.environment.name': 'local' }) },
      scopeLogs: [{
        scope: { name: scope },
        logRecords: records.map((r, i) => ({
          timeUnixNano: String(BigInt(start + i) * 1_000_000n),
          severityNumber: r.severity,
          severityText: r.severity >= 17 ? 'ERROR' : r.severity >= 13 ? 'WARN' : 'INFO',
          body: { stringValue: r.body },
          attributes: attrs(r.attributes),
          ...(r.traceId ? { traceId: Buffer.from(r.traceId, 'hex'), spanId: Buffer.from('00f067aa0ba902b7', 'hex') } : {}),
        })),
      }],
    }],
  };
  const type = logsRequestType();
  return type.encode(type.fromObject(message)).finish();
}

describe.skipIf(skip)('docs/operations/logging.md queries on VictoriaLogs', () => {
  let vl: RunningProcess;
  let base: string;
  let dataDir: string;

  // The headers otel-collector/config.yaml puts on its otlp_http/logs_* exporters.
  const send = async (accountId: string, body: Uint8Array) => {
    const response = await fetch(`${base}/insert/opentelemetry/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', AccountID: accountId, ProjectID: '0', 'VL-Stream-Fields': 'service.name,deployment.environment.name' },
      body,
    });
    expect(response.status, await response.text()).toBe(200);
  };
  const query = async (accountId: string, logsql: string) => {
    const response = await fetch(`${base}/select/logsql/query`, {
      method: 'POST',
      headers: { AccountID: accountId, ProjectID: '0', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: logsql }),
    });
    const text = await response.text();
    return { status: response.status, text, rows: text.split('\n').filter(Boolean) };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lookout-vl-doc-'));
    base = `http://127.0.0.1:${await freePort()}`;
    // The audit instance's flags (retention included), on a free port and a temp folder.
    vl = startProcess({ name: 'victoria-logs', command: binary, args: [`-httpListenAddr=${base.slice('http://'.length)}`, `-storageDataPath=${dataDir}`, '-retentionPeriod=400d', '-loggerLevel=WARN'] });
    await waitForHttp(`${base}/health`, { context: () => vl.tail() });

    await send('1', otlpLogs('mcp-server', '@lookout/logger', [
      { body: 'mcp request handled', severity: 9, attributes: { request_id: REQUEST_ID }, traceId: TRACE_ID },
      { body: 'reviewer call failed', severity: 17, attributes: { request_id: REQUEST_ID }, traceId: TRACE_ID },
    ]));
    await send('1', otlpLogs('worker', '@lookout/logger', [{ body: 'job failed', severity: 17, attributes: { job_id: '42' } }]));
    const audit = (action: string, outcome: string, target: [string, string], id: string) => ({
      body: JSON.stringify({ event_id: id, action, outcome }),
      severity: outcome === 'success' ? 9 : 13,
      attributes: {
        'log.type': 'audit', 'event.id': id, 'audit.action': action, 'audit.outcome': outcome,
        'audit.actor.type': 'api_key', 'audit.actor.id': ACTOR, 'audit.target.type': target[0], 'audit.target.id': target[1], request_id: REQUEST_ID,
      },
      traceId: TRACE_ID,
    });
    await send('2', otlpLogs('mcp-server', '@lookout/audit', [
      audit('mcp.tool.invoke', 'success', ['tool', 'review_diff'], 'e1'),
      audit('mcp.tool.invoke', 'denied', ['tool', 'get_review'], 'e2'),
      audit('admin.apikey.revoke', 'failure', ['api_key', 'cafecafecafecafe'], 'e3'),
    ]));
    // Ingested rows become searchable within a second.
    await waitUntil('the audit records to be searchable', async () => (await query('2', '_time:1h audit.action:="admin.apikey.revoke"')).rows.length === 1, { context: () => vl.tail() });
    await waitUntil('the app records to be searchable', async () => (await query('1', '_time:1h service.name:="worker"')).rows.length === 1, { context: () => vl.tail() });
  });

  afterAll(async () => {
    await vl?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const queries = extractDocQueries(readFileSync(DOC, 'utf8'));

  it('finds the sample queries in the doc, for both stores', () => {
    expect(queries.filter((q) => q.store === 'app').length).toBeGreaterThanOrEqual(4);
    expect(queries.filter((q) => q.store === 'audit').length).toBeGreaterThanOrEqual(4);
  });

  it.each(queries.map((q) => [`line ${q.line} (${q.store})`, q] as const))('runs the query at %s and finds records', async (_label, q) => {
    const result = await query(q.store === 'app' ? '1' : '2', q.query);
    expect(result.status, result.text).toBe(200);
    expect(result.rows.length, `${q.query} found nothing`).toBeGreaterThan(0);
  });

  it('keeps the stores apart: the app tenant has no audit events, tenant 0:0 has nothing', async () => {
    expect((await query('1', '_time:1h audit.action:*')).rows).toEqual([]);
    expect((await query('0', '_time:1h *')).rows).toEqual([]);
  });

  it('shows its retention on /flags, as the doc says', async () => {
    expect(await (await fetch(`${base}/flags`)).text()).toContain('-retentionPeriod="400d"');
  });
});
