// Docs that name a file, folder or npm script that does not exist fail the build: a renamed file or
// a dropped script must take its mentions with it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@lookout/testkit';
import { describe, expect, it } from 'vitest';
import { problemWith, referencesIn, type Scripts } from './doc-references.ts';

function tracked(pattern: string): string[] {
  return execFileSync('git', ['ls-files', pattern], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
}

function scriptsOf(root: string, manifests: string[]): Scripts {
  const scripts: Scripts = new Map();
  for (const manifest of manifests) {
    const { name, scripts: defined = {} } = JSON.parse(readFileSync(join(root, manifest), 'utf8')) as { name: string; scripts?: Record<string, string> };
    scripts.set(manifest === 'package.json' ? '' : name, new Set(Object.keys(defined)));
  }
  return scripts;
}

describe('what the docs name exists', () => {
  const docs = tracked('*.md');
  const scripts = scriptsOf(REPO_ROOT, tracked('package.json').concat(tracked('*/package.json'), tracked('*/*/package.json')));

  it('finds references to check in the docs (the extraction works)', () => {
    const all = docs.flatMap((doc) => referencesIn(REPO_ROOT, doc));
    expect(new Set(all.map((r) => r.kind))).toEqual(new Set(['path', 'link', 'npm script']));
    expect(all.length).toBeGreaterThan(100);
  });

  it('every path, relative link and npm script named in a doc exists', () => {
    const problems = docs.flatMap((doc) =>
      referencesIn(REPO_ROOT, doc).flatMap((reference) => {
        const problem = problemWith(REPO_ROOT, scripts, reference);
        return problem ? [`${reference.doc}:${reference.line} ${problem}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });
});

describe('the README layout table', () => {
  it('lists every project folder (packages/*, apps/*, tools/*)', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const listed = new Set([...readme.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!.replace(/\/$/, '')));
    const projects = tracked('*/*/package.json').map((manifest) => manifest.split('/').slice(0, 2).join('/')).filter((dir) => /^(packages|apps|tools)\//.test(dir));
    expect(projects.length).toBeGreaterThan(10);
    expect(projects.filter((dir) => !listed.has(dir))).toEqual([]);
  });
});

describe('the check fails on a doc that names what does not exist', () => {
  it('reports a missing path, a broken link and an unknown npm script, with file and line', () => {
    const root = mkdtempSync(join(tmpdir(), 'lookout-docs-'));
    try {
      mkdirSync(join(root, 'docs'));
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', scripts: { start: 'x' } }));
      writeFileSync(join(root, 'docs', 'real.md'), '');
      writeFileSync(join(root, 'docs', 'a.md'), ['See `docs/real.md` and `docs/gone.md`.', '[ok](real.md) [broken](missing.md)', 'Run `npm run start` or `npm run nope`.', 'Ignored: `apps/<name>/src`, `bin/COMMAND-VERSION`.'].join('\n'));
      const scripts = scriptsOf(root, ['package.json']);
      const problems = referencesIn(root, 'docs/a.md').flatMap((r) => problemWith(root, scripts, r) ?? []);
      expect(problems).toEqual(['names docs/gone.md, which does not exist', 'names docs/missing.md, which does not exist', 'names npm script "nope", which no package.json defines']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
