// `lookout drift` without a stack: an unreachable target is exit 2 ("could not be read"), never
// "in sync"; bad input is a usage error. The stack's end-to-end test covers exit 0 and 1 on the
// real Prometheus and Alertmanager (apps/stack/src/drift.integration.test.ts).
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
