import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A backend binary as deploy/versions.json pins it: the component that builds it and its command. */
export interface PinnedBinary {
  /** Component name in versions.json, what `scripts/backends/build.sh` takes (e.g. victorialogs). */
  component: string;
  /** Command name, the file name's stem in the cache (e.g. victoria-logs). */
  command: string;
}

interface Versions {
  components: Record<string, { version: string; commands?: Record<string, string> }>;
}

const readVersions = (repoRoot: string) => JSON.parse(readFileSync(join(repoRoot, 'deploy', 'versions.json'), 'utf8')) as Versions;

/**
 * Where build.sh puts a command: ${LOOKOUT_CACHE_DIR:-~/.cache/lookout}/bin/COMMAND-VERSION, the
 * version of the component that owns it (the same rule as scripts/backends/paths.sh, without a shell).
 */
export function binaryPath(repoRoot: string, binary: PinnedBinary): string {
  const pinned = readVersions(repoRoot).components[binary.component];
  if (!pinned) throw new Error(`deploy/versions.json has no component "${binary.component}"`);
  const cacheDir = process.env.LOOKOUT_CACHE_DIR ?? join(homedir(), '.cache', 'lookout');
  return join(cacheDir, 'bin', `${binary.command}-${pinned.version}`);
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binaries among these that are not in the cache yet. */
export function missingBinaries(repoRoot: string, binaries: readonly PinnedBinary[]): PinnedBinary[] {
  return binaries.filter((b) => !isExecutable(binaryPath(repoRoot, b)));
}

/**
 * Runs `bash scripts/backends/build.sh COMPONENT...` with its output on our terminal (it prints a
 * progress line every 30 s; a cold build of everything takes minutes, not seconds). Rejects naming
 * the components when the script fails.
 */
export function buildBinaries(repoRoot: string, components: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'scripts', 'backends', 'build.sh'), ...components], { cwd: repoRoot, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scripts/backends/build.sh ${components.join(' ')} failed (exit ${code}); its log names the component and the cause`)),
    );
  });
}
