import { describe, expect, it } from 'vitest';
import { hunkDiff, newFileDiff } from '../diff-builders.test-support.ts';
import { runModuleOn } from './run-module.test-support.ts';
import { secretsModule } from './secrets.ts';

const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5'.repeat(4)}`;

describe('secrets module', () => {
  it('flags added lines holding credentials, at the right lines', async () => {
    const diff = newFileDiff('config.ts', [
      'export const region = "eu-west-1";',
      `export const key = "${AWS_KEY}";`,
      'const ok = true;',
      `fetch(url, { headers: { Authorization: "Bearer ${GITHUB_TOKEN}" } });`,
      'const db = "postgres://app:s3cretPass@db:5432/app";',
    ]);
    const findings = await runModuleOn(secretsModule, diff);
    expect(findings.map((f) => [f.file, f.line, f.severity])).toEqual([
      ['config.ts', 2, 'error'],
      ['config.ts', 4, 'error'],
      ['config.ts', 5, 'error'],
    ]);
  });

  it('never repeats the secret in the finding', async () => {
    const findings = await runModuleOn(secretsModule, newFileDiff('a.env', [`AWS_ACCESS_KEY_ID=${AWS_KEY}`, `TOKEN=${GITHUB_TOKEN}`]));
    expect(findings).toHaveLength(2);
    const text = JSON.stringify(findings);
    expect(text).not.toContain(AWS_KEY);
    expect(text).not.toContain(GITHUB_TOKEN);
    expect(text).not.toContain('AKIA');
  });

  it('ignores clean lines, and secrets on removed or context lines', async () => {
    const diff = hunkDiff('app.ts', 10, [` const k = "${AWS_KEY}";`, `-const t = "${GITHUB_TOKEN}";`, '+const t = process.env.GH;']);
    expect(await runModuleOn(secretsModule, diff)).toEqual([]);
    expect(await runModuleOn(secretsModule, newFileDiff('b.ts', ['const answer = 42;', 'bypass(cache);']))).toEqual([]);
  });
});
