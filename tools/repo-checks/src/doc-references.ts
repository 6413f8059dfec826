// What the repository's Markdown names that must exist: repository paths (in code spans and in
// relative links) and npm scripts (`npm run NAME`, `npm run NAME -w WORKSPACE`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Top-level folders a code span's path starts with, to tell `apps/cli` from `a/b` prose. */
// Not tools/: MCP's method names (`tools/call`) read as paths.
const TOP_LEVEL = ['apps', 'packages', 'deploy', 'docs', 'otel-collector', 'scripts', 'bench', '.github', '.ci', 'slo'];
/** Placeholders mark a pattern, not a file: apps/<name>, bin/COMMAND-VERSION, *.md, ${VAR}, {a,b}, ... */
const PLACEHOLDER = /[<>*{}$]|\.\.\.|…|[A-Z]{4,}(?:-[A-Z]+)*(?:\.|$|\/)/;

export interface Reference {
  doc: string;
  line: number;
  kind: 'path' | 'link' | 'npm script';
  text: string;
}

/** Every checkable reference in one Markdown file (paths relative to the repository root). */
export function referencesIn(repoRoot: string, doc: string): Reference[] {
  const found: Reference[] = [];
  const lines = readFileSync(join(repoRoot, doc), 'utf8').split('\n');
  let fenced = false;
  lines.forEach((text, index) => {
    if (/^\s*```/.test(text)) fenced = !fenced;
    const add = (kind: Reference['kind'], value: string) => found.push({ doc, line: index + 1, kind, text: value });
    for (const command of text.matchAll(/npm run (?:--?[\w-]+ )*([\w:-]+)(?:[^`\n]*?-w (@?[\w/-]+))?/g)) add('npm script', command[2] ? `${command[1]} -w ${command[2]}` : command[1]!);
    if (fenced) return;
    for (const span of text.matchAll(/`([^`\s]+)[^`]*`/g)) {
      const first = span[1]!.replace(/[:,.;)]+$/, '').replace(/^\.\//, '');
      if (TOP_LEVEL.some((top) => first === top || first.startsWith(`${top}/`)) && !PLACEHOLDER.test(first)) add('path', first);
    }
    for (const link of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
      const target = link[1]!;
      if (!/^[a-z]+:/i.test(target) && !PLACEHOLDER.test(target)) add('link', relative(repoRoot, resolve(repoRoot, dirname(doc), target)));
    }
  });
  return found;
}

/** Scripts by package: '' for the root package.json, else the package's name. */
export type Scripts = Map<string, Set<string>>;

/** The name of the package a doc belongs to (the nearest package.json above it), '' for the root. */
function packageOf(repoRoot: string, doc: string): string {
  for (let dir = dirname(doc); dir !== '.' && dir !== ''; dir = dirname(dir)) {
    const manifest = join(repoRoot, dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name;
  }
  return '';
}

/**
 * Why a reference is wrong, or undefined when what it names exists. A package's README may name
 * its own files and scripts as run from its folder (`npm run generate`, `tools/x.mjs`).
 */
export function problemWith(repoRoot: string, scripts: Scripts, reference: Reference): string | undefined {
  if (reference.kind === 'npm script') {
    const [name, , workspace] = reference.text.split(' ');
    const candidates = workspace ? [workspace] : ['', packageOf(repoRoot, reference.doc)];
    return candidates.some((pkg) => scripts.get(pkg)?.has(name!)) ? undefined : `names npm script "${name}"${workspace ? ` in ${workspace}` : ''}, which no package.json defines`;
  }
  const exists = existsSync(join(repoRoot, reference.text)) || (reference.kind === 'path' && existsSync(join(repoRoot, dirname(reference.doc), reference.text)));
  return exists ? undefined : `names ${reference.text}, which does not exist`;
}
