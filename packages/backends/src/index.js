// Plain JavaScript on purpose: scripts/backends/build.sh and paths.sh run this through
// scripts/backends/lib/versions.mjs on whichever node is on PATH (the machine's v20, which cannot
// strip types) before npm dependencies exist. TypeScript callers get src/index.d.ts.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this package lives in. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** deploy/versions.json, the only place backend versions are pinned ($LOOKOUT_VERSIONS_FILE overrides). */
export function versionsFile(env = process.env) {
  return env.LOOKOUT_VERSIONS_FILE ?? join(REPO_ROOT, 'deploy', 'versions.json');
}

/** The cache root: $LOOKOUT_CACHE_DIR, else ~/.cache/lookout. bin/ holds the binaries, logs/ the build logs. */
export function cacheDir(env = process.env) {
  return env.LOOKOUT_CACHE_DIR ?? join(homedir(), '.cache', 'lookout');
}

/** @param {string} [file] */
export function readVersions(file = versionsFile()) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * The component of versions.json that builds `command` (e.g. promtool → prometheus), with its version.
 * @param {string} command
 * @param {{ components: Record<string, { version: string, commands?: Record<string, string> }> }} [versions]
 */
export function ownerOf(command, versions = readVersions()) {
  for (const [component, pinned] of Object.entries(versions.components)) {
    if (pinned.commands && command in pinned.commands) return { component, version: pinned.version };
  }
  throw new Error(`deploy/versions.json: no component builds a command named "${command}"; known: ${Object.values(versions.components).flatMap((c) => Object.keys(c.commands ?? {})).join(' ')}`);
}

/**
 * Where build.sh puts `command`: CACHE/bin/COMMAND-VERSION, VERSION being its component's pinned
 * version, so bumping a version builds beside the old binary instead of over it.
 * @param {string} command
 * @param {{ env?: NodeJS.ProcessEnv, versions?: Parameters<typeof ownerOf>[1] }} [options]
 */
export function binaryPath(command, options = {}) {
  const { version } = ownerOf(command, options.versions ?? readVersions(versionsFile(options.env)));
  return join(cacheDir(options.env), 'bin', `${command}-${version}`);
}
