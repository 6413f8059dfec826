// The Grafana drift check against a loopback stand-in that answers as Grafana's API does (Grafana
// cannot run here; CI's compose smoke job runs `lookout drift` on the real one): in sync despite the
// fields Grafana adds, a changed panel query, a missing dashboard, a changed data source URL, an
// unreachable Grafana and a refused token, whose value is in no output.
import { freePort } from '@lookout/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runDriftCheck } from './check.ts';
import { formatDriftReport } from './format.ts';
import { startGrafanaStub, type GrafanaStub } from './grafana-stub.test-support.ts';
import { REPO_ROOT } from './render-record.ts';
import { exitCodeOf } from './report.ts';

const TOKEN = 'glsa_stubTokenValue0123456789abcdef_0badc0de';
type Json = Record<string, unknown>;

describe('drift check on Grafana (a stand-in answering as its HTTP API does)', () => {
  let grafana: GrafanaStub;
  let pristine: { dashboards: [string, Json][]; datasources: Json[] };
  const check = (token: string | undefined = TOKEN, url = grafana.url) =>
    runDriftCheck({ repoRoot: REPO_ROOT, urls: { grafana: url }, grafanaToken: token, grafanaTokenSource: 'LOOKOUT_GRAFANA_TOKEN', timeoutMs: 2000 });

  beforeAll(async () => {
    grafana = await startGrafanaStub(REPO_ROOT, TOKEN);
    pristine = structuredClone({ dashboards: [...grafana.dashboards], datasources: grafana.datasources });
  });
  afterEach(() => {
    grafana.dashboards.clear();
    for (const [uid, d] of structuredClone(pristine.dashboards)) grafana.dashboards.set(uid, d);
    grafana.datasources.splice(0, Infinity, ...structuredClone(pristine.datasources));
  });
  afterAll(() => grafana.close());

  it('is in sync with the provisioned files, whatever ids, versions and meta Grafana adds', async () => {
    const report = await check();
    expect(report.results).toEqual([{ component: 'grafana', url: grafana.url, status: 'in_sync', drifted: [] }]);
    expect(exitCodeOf(report)).toBe(0);
  });

  it('reports a panel query changed in Grafana, by dashboard, panel title and refId', async () => {
    const dashboard = grafana.dashboards.get('lookout-pipeline')!;
    const panel = (dashboard.panels as Json[]).find((p) => Array.isArray(p.targets) && (p.targets as Json[])[0]?.expr)!;
    const target = (panel.targets as Json[])[0]!;
    const original = target.expr;
    target.expr = 'sum(rate(edited_in_the_ui_total[5m]))';
    const report = await check();
    expect(exitCodeOf(report)).toBe(1);
    expect(report.results[0]!.drifted).toEqual([{
      section: 'dashboards', object: 'dashboards/lookout-pipeline',
      changes: [{ path: `panels[${JSON.stringify(panel.title)}].targets.${String(target.refId)}.expr`, kind: 'changed', expected: original, deployed: 'sum(rate(edited_in_the_ui_total[5m]))' }],
    }]);
    expect(formatDriftReport(report)).toContain('grafana: DRIFT in 1 object(s)');
  });

  it('reports a provisioned dashboard Grafana does not have (404) as drift, by uid and title', async () => {
    grafana.dashboards.delete('lookout-slo');
    const report = await check();
    expect(exitCodeOf(report)).toBe(1);
    expect(report.results[0]!.drifted).toEqual([{ section: 'dashboards', object: 'dashboards/lookout-slo', changes: [{ path: '', kind: 'missing', expected: 'Lookout SLOs' }] }]);
  });

  it('reports a data source whose URL was changed in Grafana, and one Grafana lacks', async () => {
    grafana.datasources.find((ds) => ds.uid === 'jaeger')!.url = 'http://jaeger.elsewhere:16686';
    grafana.datasources.splice(grafana.datasources.findIndex((ds) => ds.uid === 'logs-app'), 1);
    const report = await check();
    expect(exitCodeOf(report)).toBe(1);
    expect(report.results[0]!.drifted).toEqual([
      { section: 'datasources', object: 'datasources/jaeger', changes: [{ path: 'url', kind: 'changed', expected: 'http://127.0.0.1:16686', deployed: 'http://jaeger.elsewhere:16686' }] },
      { section: 'datasources', object: 'datasources/logs-app', changes: [{ path: '', kind: 'missing', expected: 'Logs (app)' }] },
    ]);
  });

  it('compares the correlations as Grafana stores them ($$ unescaped): a lost variable is drift', async () => {
    const jaeger = grafana.datasources.find((ds) => ds.uid === 'jaeger')!;
    (jaeger.jsonData as { tracesToLogsV2: Json }).tracesToLogsV2.query = 'trace_id:="" | sort by (_time)';
    const [change] = (await check()).results[0]!.drifted[0]!.changes;
    expect(change).toEqual({ path: 'jsonData.tracesToLogsV2.query', kind: 'changed', expected: 'trace_id:="${__trace.traceId}" | sort by (_time)', deployed: 'trace_id:="" | sort by (_time)' });
  });

  it('reports a data source added by hand in Grafana, which the repository does not provision', async () => {
    grafana.datasources.push({ id: 9, uid: 'audit', name: 'Audit', type: 'victoriametrics-logs-datasource', access: 'proxy', url: 'http://127.0.0.1:9429', readOnly: false, jsonData: {} });
    const drifted = (await check()).results[0]!.drifted;
    expect(drifted.map((o) => [o.object, o.changes[0]!.kind])).toEqual([['datasources/audit', 'unexpected']]);
  });

  it('exits 2 when Grafana cannot be reached: never "in sync"', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const report = await check(TOKEN, url);
    expect(exitCodeOf(report)).toBe(2);
    expect(report.results[0]).toMatchObject({ component: 'grafana', status: 'unreadable', error: expect.stringContaining(`grafana at ${url} could not be read`) });
  });

  it('exits 2 on a refused token (401), naming where the token came from and never its value', async () => {
    const wrong = 'glsa_wrongTokenValue_9876543210fedcba';
    const report = await check(wrong);
    expect(exitCodeOf(report)).toBe(2);
    const { error } = report.results[0]!;
    expect(error).toContain('HTTP 401: the token from LOOKOUT_GRAFANA_TOKEN was refused');
    for (const text of [error!, formatDriftReport(report), JSON.stringify(report)]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(TOKEN);
    }
    const anonymous = await runDriftCheck({ repoRoot: REPO_ROOT, urls: { grafana: grafana.url }, grafanaTokenSource: 'LOOKOUT_GRAFANA_TOKEN' });
    expect(anonymous.results[0]!.error).toContain('HTTP 401: no token was given (LOOKOUT_GRAFANA_TOKEN)');
  });

  it('refuses a malformed token before sending it, without quoting it', async () => {
    const report = await check(`${TOKEN}\nX-Injected: 1`);
    expect(report.results[0]!.error).toContain('holds whitespace or control characters');
    expect(JSON.stringify(report)).not.toContain(TOKEN);
  });
});
