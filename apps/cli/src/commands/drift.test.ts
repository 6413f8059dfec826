// `lookout drift` without a stack: an unreachable target is exit 2 ("could not be read"), never
// "in sync"; bad input is a usage error. The stack's end-to-end test covers exit 0 and 1 on the
// real Prometheus and Alertmanager (apps/stack/src/drift.integration.test.ts); Grafana's cases are
// in @lookout/deploy-config (a stand-in API) and CI's compose smoke job (the real one).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@lookout/testkit';
import { runCli } from '../program.ts';

async function lookout(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

describe('lookout drift', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('exits 2 and names the target when it cannot be read, in text and in JSON', async () => {
    const [p, a] = [await freePort(), await freePort()];
    const urls = ['--prometheus-url', `http://127.0.0.1:${p}`, '--alertmanager-url', `http://127.0.0.1:${a}`, '--timeout-ms', '2000', '--no-data-dir'];
    const text = await lookout(['drift', ...urls]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`prometheus: UNREADABLE: prometheus at http://127.0.0.1:${p} could not be read`);
    process.exitCode = undefined;
    const json = await lookout(['drift', ...urls, '--format', 'json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ exitCode: 2, results: [{ component: 'prometheus', status: 'unreadable' }, { component: 'alertmanager', status: 'unreadable' }] });
  });

  it('refuses a URL that is not http(s) and an unknown format, before reading anything', async () => {
    expect((await lookout(['drift', '--prometheus-url', 'prometheus:9090'])).code).toBe(2);
    const format = await lookout(['drift', '--format', 'yaml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('yaml');
  });
});

describe('lookout drift --grafana-url', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('reads the token from --grafana-token-file and, when Grafana refuses it, exits 2 naming the file, never the token', async () => {
    const token = 'glsa_cliTokenValue_0123456789abcdef';
    const seen: (string | undefined)[] = [];
    const grafana = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"invalid API key"}');
    });
    await new Promise<void>((resolve) => grafana.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'lookout-drift-cli-'));
    try {
      const file = join(dir, 'grafana-token');
      writeFileSync(file, `${token}\n`);
      const url = `http://127.0.0.1:${(grafana.address() as AddressInfo).port}`;
      const out = await lookout(['drift', '--grafana-url', url, '--grafana-token-file', file, '--prometheus-url', url, '--alertmanager-url', url, '--no-data-dir', '--format', 'json']);
      expect(out.code).toBe(2);
      const grafanaResult = (JSON.parse(out.stdout) as { results: { component: string; error?: string }[] }).results.find((r) => r.component === 'grafana');
      expect(grafanaResult?.error).toContain(`the token from --grafana-token-file ${file} was refused`);
      expect(seen).toContain(`Bearer ${token}`);
      expect(out.stdout + out.stderr).not.toContain(token);
      const missing = await lookout(['drift', '--grafana-url', url, '--grafana-token-file', join(dir, 'absent')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('could not be read (ENOENT)');
    } finally {
      grafana.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
