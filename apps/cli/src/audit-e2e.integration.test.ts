// The audit trail end to end, on real parts: @lookout/audit -> the collector (production config)
// -> VictoriaLogs logs-audit (AccountID 2). N events are recorded while the collector is killed and
// restarted and VictoriaLogs is down for 30 s; all N arrive, and `lookout audit verify` passes on
// the tenant and fails on a tampered export.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudit, type Audit, type AuditEvent } from '@lookout/audit';
import { readVictoriaLogs } from '@lookout/audit/reader';
import { collectorMissing, startCollector, startProcess, waitUntil, type TestCollector } from '@lookout/testkit';
import { startVictoriaLogs, victoriaLogsMissing, type TestVictoriaLogs } from './victorialogs.test-support.ts';

const skip = collectorMissing() ?? victoriaLogsMissing();
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const N = 60;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function lookout(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = startProcess({ name: 'lookout', command: process.execPath, args: [main, ...args], env: { LOOKOUT_AUDIT_DELIVER_TIMEOUT_MS: '0', ...env } });
  let stdout = '';
  child.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await child.exited;
  return { code, stdout, output: child.output() };
}

describe.skipIf(skip)('audit trail end to end: collector (production config) and VictoriaLogs', () => {
  let logs: TestVictoriaLogs;
  let collector: TestCollector;
  let audit: Audit;
  const started = new Date(Date.now() - 60_000);
  // The CLI's own audit events (verify is audited too) go to a spool of their own, never shipped here.
  const cliEnv = () => ({ LOOKOUT_AUDIT_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'lookout-e2e-cli-')), OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
  const stored = async () =>
    (await readVictoriaLogs({ url: logs.url, from: started, to: new Date(Date.now() + 60_000) })) as AuditEvent[];

  beforeAll(async () => {
    logs = await startVictoriaLogs();
    collector = await startCollector({
      config: 'production',
      env: { LOOKOUT_LOGS_AUDIT_OTLP_ENDPOINT: logs.otlpEndpoint, LOOKOUT_LOGS_AUDIT_ACCOUNT_ID: '2' },
    });
    audit = await createAudit({
      spoolDir: mkdtempSync(join(tmpdir(), 'lookout-e2e-spool-')),
      service: 'audit-e2e',
      endpoint: `${collector.otlpHttpUrl}/v1/logs`,
      initialBackoffMs: 200,
      maxBackoffMs: 2000,
    });
  });
  afterAll(async () => {
    await audit?.close();
    await collector?.stop();
    await logs?.destroy();
  });

  it(`delivers all ${N} events through a collector crash and a 30 s VictoriaLogs outage; verify passes`, { timeout: 240_000 }, async () => {
    const recorded: AuditEvent[] = [];
    const record = async (count: number, pauseMs = 0) => {
      for (let i = 0; i < count; i++) {
        recorded.push(await audit.record({ action: 'admin.e2e.step', actor: { type: 'operator', id: 'e2e' }, target: { type: 'step', id: String(recorded.length + 1) }, outcome: 'success' }));
        if (pauseMs) await sleep(pauseMs);
      }
    };

    await record(10);
    await waitUntil('the first events in VictoriaLogs', async () => (await stored()).length >= 10, { timeoutMs: 30_000 });

    await collector.kill(); // SIGKILL: nothing flushed
    await record(10); // spooled by @lookout/audit, which keeps retrying

    await logs.stop(); // VictoriaLogs down from here for 30 s
    const outageStart = Date.now();
    await collector.restart(); // on the same persistent-queue storage
    await record(15, 300);
    await collector.kill(); // killed again while it holds undelivered audit data on disk
    await record(10);
    await collector.restart();
    await record(15, 300);
    await sleep(Math.max(0, 30_000 - (Date.now() - outageStart)));
    await logs.start();
    expect(recorded).toHaveLength(N);

    const events = await waitUntil(
      `all ${N} events in the audit tenant`,
      async () => {
        const found = await stored();
        return new Set(found.map((e) => e.event_id)).size >= N && found;
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
    expect(new Set(events.map((e) => e.event_id))).toEqual(new Set(recorded.map((e) => e.event_id)));
    expect(audit.stats().events).toBe(0);

    // The tenant matters: the same query as another tenant sees none of it.
    expect(await readVictoriaLogs({ url: logs.url, accountId: '1', from: started, to: new Date(Date.now() + 60_000) })).toEqual([]);

    const verify = await lookout(['audit', 'verify', '--url', logs.url, '--account-id', '2', '--from', '30m'], cliEnv());
    expect(verify.code, verify.stdout + verify.output).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`${N} event\\(s\\) in 1 stream\\(s\\)`));
    expect(verify.stdout).toMatch(/OK: every chain is intact/);
  });

  it('fails verification (exit 1) on a tampered export: an edit, a deletion', async () => {
    const events = (await stored()).sort((a, b) => a.seq - b.seq);
    expect(events.length).toBeGreaterThanOrEqual(N);
    const dir = mkdtempSync(join(tmpdir(), 'lookout-e2e-export-'));
    const write = (name: string, list: unknown[]) => {
      const file = join(dir, name);
      writeFileSync(file, list.map((e) => JSON.stringify(e)).join('\n') + '\n');
      return file;
    };
    const clean = await lookout(['audit', 'verify', '--file', write('clean.jsonl', events)], cliEnv());
    expect(clean.code, clean.output).toBe(0);

    const edited = events.map((e) => (e.seq === 7 ? { ...e, actor: { type: 'operator', id: 'mallory' } } : e));
    const editRun = await lookout(['audit', 'verify', '--file', write('edited.jsonl', edited)], cliEnv());
    expect(editRun.code).toBe(1);
    expect(editRun.stdout).toMatch(/EDIT .*seq 7: content does not match its hash/);

    const deleted = events.filter((e) => e.seq !== 30);
    const deleteRun = await lookout(['audit', 'verify', '--file', write('deleted.jsonl', deleted)], cliEnv());
    expect(deleteRun.code).toBe(1);
    expect(deleteRun.stdout).toMatch(/GAP .*seq 30 missing/);
  });
});
