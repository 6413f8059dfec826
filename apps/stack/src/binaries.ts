import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { binaryPath as backendBinaryPath, readVersions } from '@lookout/backends';
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
