// The drift check against the pinned Prometheus and Alertmanager, loaded with the configs rendered
// as npm start renders them: in sync as started; a rule group and a route changed on the running
// servers (file edited, /-/reload) are reported, with exactly those changes; a spelling-only
// change of PromQL is not; an unreachable target is "unreadable", never "in sync".
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryPath } from '@lookout/backends';
import { freePort, missingPart, startProcess, waitForHttp, type RunningProcess } from '@lookout/testkit';
import { renderAlertmanagerConfig } from './alertmanager-config.ts';
import { runDriftCheck } from './check.ts';
import { renderPrometheusConfig } from './prometheus-config.ts';
import { REPO_ROOT } from './render-record.ts';
import { exitCodeOf } from './report.ts';

const prometheusBin = binaryPath('prometheus');
const alertmanagerBin = binaryPath('alertmanager');
const skip = missingPart('prometheus, alertmanager', existsSync(prometheusBin) && existsSync(alertmanagerBin), `build with \`bash scripts/backends/build.sh prometheus alertmanager\` (looked for ${prometheusBin}, ${alertmanagerBin})`);

describe.skipIf(skip)('drift check on the real Prometheus and Alertmanager', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-drift-'));
  const rulesDir = join(dataDir, 'rules');
  const processes: RunningProcess[] = [];
  let urls: { prometheus: string; alertmanager: string };
  const check = () => runDriftCheck({ repoRoot: REPO_ROOT, dataDir, urls });
  const reload = async (url: string) => {
    const res = await fetch(`${url}/-/reload`, { method: 'POST' });
    expect(res.status, await res.text()).toBe(200);
  };

  beforeAll(async () => {
    const [prom, am] = [await freePort(), await freePort()];
    urls = { prometheus: `http://127.0.0.1:${prom}`, alertmanager: `http://127.0.0.1:${am}` };
    // The loaded rule files are copies, so editing them changes the server and not the repository.
    cpSync(join(REPO_ROOT, 'deploy', 'prometheus', 'rules'), rulesDir, { recursive: true });
    const promConfig = renderPrometheusConfig({ repoRoot: REPO_ROOT, outFile: join(dataDir, 'prometheus', 'prometheus.yml'), portFor: (p) => ({ 9090: prom, 9093: am })[p], ruleFiles: [join(rulesDir, '*.yml')], scrapeInterval: '5s' });
    const amConfig = renderAlertmanagerConfig({ repoRoot: REPO_ROOT, outFile: join(dataDir, 'alertmanager', 'alertmanager.yml') });
    processes.push(
      startProcess({ name: 'prometheus', command: prometheusBin, args: [`--config.file=${promConfig}`, `--storage.tsdb.path=${join(dataDir, 'prometheus', 'data')}`, `--web.listen-address=127.0.0.1:${prom}`, '--web.enable-lifecycle'] }),
      startProcess({ name: 'alertmanager', command: alertmanagerBin, args: [`--config.file=${amConfig}`, `--storage.path=${join(dataDir, 'alertmanager', 'data')}`, `--web.listen-address=127.0.0.1:${am}`, '--cluster.listen-address='] }),
    );
    await waitForHttp(`${urls.prometheus}/-/ready`, { timeoutMs: 30_000 });
    await waitForHttp(`${urls.alertmanager}/-/ready`, { timeoutMs: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds both in sync as started from the committed files', async () => {
    const report = await check();
    expect(report.results.map((r) => [r.component, r.status, r.drifted])).toEqual([['prometheus', 'in_sync', []], ['alertmanager', 'in_sync', []]]);
    expect(exitCodeOf(report)).toBe(0);
  });

  it('reports a rule group changed on the running Prometheus, and not a PromQL spelling change', async () => {
    const file = join(rulesDir, 'alerts.yml');
    const original = readFileSync(file, 'utf8');
    const edited = original
      .replace('expr: up == 0\n        for: 5m', 'expr: up == 0\n        for: 15m')
      // Same meaning, other spelling: Prometheus formats it as `max by (job) (lookout_audit_spool_size) > 1000`.
      .replace('max by (job) (lookout_audit_spool_size) > 1000', 'max(lookout_audit_spool_size)   by (job) > 1000');
    expect(edited).not.toBe(original);
    writeFileSync(file, edited);
    await reload(urls.prometheus);
    const report = await check();
    const prometheus = report.results[0]!;
    expect(prometheus.status).toBe('drift');
    expect(prometheus.drifted).toEqual([{ section: 'rule_groups', object: 'rule_groups/alerts.yml/lookout-alerts', changes: [{ path: 'rules["PrometheusTargetDown#1"].for', kind: 'changed', expected: '5m', deployed: '15m' }] }]);
    expect(exitCodeOf(report)).toBe(1);
    writeFileSync(file, original);
    await reload(urls.prometheus);
    expect(exitCodeOf(await check())).toBe(0);
  });

  it('reports a route changed on the running Alertmanager, until it is restored', async () => {
    const file = join(dataDir, 'alertmanager', 'alertmanager.yml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('repeat_interval: 24h', 'repeat_interval: 12h'));
    await reload(urls.alertmanager);
    const report = await check();
    expect(report.results[1]).toMatchObject({ status: 'drift', drifted: [{ section: 'route', object: 'route', changes: [{ path: 'routes[2].repeat_interval', kind: 'changed', expected: '1d', deployed: '12h' }] }] });
    writeFileSync(file, original);
    await reload(urls.alertmanager);
    expect(exitCodeOf(await check())).toBe(0);
  });

  it('calls a target it cannot reach unreadable (exit 2), never in sync', async () => {
    const report = await runDriftCheck({ repoRoot: REPO_ROOT, dataDir, urls: { ...urls, alertmanager: `http://127.0.0.1:${await freePort()}` } });
    expect(report.results[1]).toMatchObject({ status: 'unreadable', error: expect.stringMatching(/^alertmanager at http:\/\/127\.0\.0\.1:\d+ could not be read/) });
    expect(exitCodeOf(report)).toBe(2);
  });
});
