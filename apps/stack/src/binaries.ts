import { spawn } from 'node:child_process';
import { accessSync, appendFileSync, constants, mkdirSync } from 'node:fs';
import { binaryPath as backendBinaryPath, cacheDir, readVersions } from '@lookout/backends';
import { join } from 'node:path';

/** A backend binary as deploy/versions.json pins it: the component that builds it and its command. */
export interface PinnedBinary {
  /** Component name in versions.json, what `scripts/backends/build.sh` takes (e.g. victorialogs). */
  component: string;
  /** Command name, the file name's stem in the cache (e.g. victoria-logs). */
  command: string;
}

/** Where build.sh puts a command, pinned by repoRoot's deploy/versions.json (@lookout/backends' rule). */
export function binaryPath(repoRoot: string, binary: PinnedBinary): string {
  return backendBinaryPath(binary.command, { versions: readVersions(join(repoRoot, 'deploy', 'versions.json')) });
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
 * build.sh targets for these binaries: COMPONENT:COMMAND, so that only what the stack runs is built
 * (prometheus without promtool, alertmanager without amtool: test tools, and promtool is the heavier build).
 */
export function buildTargets(binaries: readonly PinnedBinary[]): string[] {
  return [...new Set(binaries.map((b) => `${b.component}:${b.command}`))];
}

/** One first start, as npm start measured it: the cold start the README quotes comes from here. */
export interface FirstStart {
  /** Seconds from npm start's launch to "Lookout is up", Redis install and builds included. */
  totalSeconds: number;
  /** Seconds spent in build.sh. */
  buildSeconds: number;
  /** What was built (build.sh targets). */
  built: readonly string[];
}

/** Where npm start records first starts: CACHE/logs/first-starts.tsv (date, total s, build s, targets). */
export const firstStartsFile = (env: NodeJS.ProcessEnv = process.env) => join(cacheDir(env), 'logs', 'first-starts.tsv');

export function recordFirstStart(start: FirstStart, env: NodeJS.ProcessEnv = process.env): void {
  const file = firstStartsFile(env);
  mkdirSync(join(file, '..'), { recursive: true });
  const row = [new Date().toISOString(), start.totalSeconds.toFixed(1), start.buildSeconds.toFixed(1), start.built.join(' ')];
  appendFileSync(file, `${row.join('\t')}\n`);
}

/**
 * Runs `bash scripts/backends/build.sh TARGET...` with its output on our terminal (it prints a
 * progress line every 30 s; a cold build of everything takes minutes, not seconds). Rejects naming
 * the components when the script fails.
 */
export function buildBinaries(repoRoot: string, targets: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'scripts', 'backends', 'build.sh'), ...targets], { cwd: repoRoot, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scripts/backends/build.sh ${targets.join(' ')} failed (exit ${code}); its log names the component and the cause`)),
    );
  });
}
