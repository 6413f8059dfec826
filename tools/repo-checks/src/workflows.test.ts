// actionlint over .github/workflows (and the local action they use), so a broken workflow fails
// `npm test` here instead of only on GitHub. The binary is the pinned one from scripts/backends.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryPath } from '@lookout/backends';
import { missingPart, REPO_ROOT } from '@lookout/testkit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const actionlint = binaryPath('actionlint');
const skip = missingPart('actionlint', existsSync(actionlint), `build it with \`bash scripts/backends/build.sh actionlint\` (looked for ${actionlint})`);
const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');

/** actionlint's findings for the workflows under `root` (its exit status is 1 when it found any). */
function lint(root: string) {
  const result = spawnSync(actionlint, ['-no-color', '-oneline'], { cwd: root, encoding: 'utf8' });
  return { status: result.status, findings: (result.stdout + result.stderr).trim() };
}

describe.skipIf(skip)('GitHub Actions workflows', () => {
  it('pass actionlint', () => {
    const { status, findings } = lint(REPO_ROOT);
    expect(findings).toBe('');
    expect(status).toBe(0);
  });

  it('fail actionlint when broken (the check can fail)', () => {
    const root = mkdtempSync(join(tmpdir(), 'lookout-actionlint-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: root });
      mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
      writeFileSync(join(root, '.github', 'workflows', 'broken.yml'), 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ matrix.nope }}\n');
      const { status, findings } = lint(root);
      expect(status).toBe(1);
      expect(findings).toMatch(/property "nope" is not defined/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the CI workflow', () => {
  const ci = parse(readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8')) as { jobs: Record<string, { strategy?: { matrix?: { include?: { check: string; title: string }[] } } }> };
  const checks = ci.jobs.check?.strategy?.matrix?.include ?? [];
  const ciRun = spawnSync('bash', [join(REPO_ROOT, '.ci', 'run'), '--help'], { encoding: 'utf8' }).stdout;

  it('runs every check that .ci/run knows, each in a job named for it', () => {
    const known = [...ciRun.matchAll(/^ {2}(\w+) {2,}/gm)].map((m) => m[1]).filter((name) => name !== 'install');
    expect(known.length).toBeGreaterThan(3);
    expect(checks.map((c) => c.check).sort()).toEqual(known.sort());
    for (const check of checks) expect(check.title.length, check.check).toBeGreaterThan(check.check.length);
  });

  it('has no other workflow file that could run checks .ci/run does not', () => {
    expect(readdirSync(WORKFLOWS)).toEqual(['ci.yml']);
  });

  it('has one job outside .ci/run: the compose smoke, which needs Docker and so cannot run where npm test does', () => {
    const jobs = (parse(readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8')) as { jobs: Record<string, { steps?: { run?: string }[] }> }).jobs;
    expect(Object.keys(jobs).sort()).toEqual(['check', 'compose-smoke', 'install']);
    const runs = (jobs['compose-smoke']?.steps ?? []).map((s) => s.run ?? '');
    expect(runs).toContain('bash deploy/compose-smoke.sh');
    expect(runs.join('\n')).not.toContain('.ci/run');
    expect(existsSync(join(REPO_ROOT, 'deploy', 'compose-smoke.sh'))).toBe(true);
  });
});
