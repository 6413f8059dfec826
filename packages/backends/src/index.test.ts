import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryPath, cacheDir, ownerOf, readVersions, REPO_ROOT } from './index.js';

const versions = readVersions();

describe('where the pinned backend binaries live', () => {
  it('is CACHE/bin/COMMAND-VERSION with the version of the component that builds the command', () => {
    const env = { LOOKOUT_CACHE_DIR: '/somewhere' };
    expect(binaryPath('promtool', { env })).toBe(`/somewhere/bin/promtool-${versions.components.prometheus?.version}`);
    expect(binaryPath('victoria-logs', { env })).toBe(`/somewhere/bin/victoria-logs-${versions.components.victorialogs?.version}`);
  });

  it('defaults the cache to ~/.cache/lookout', () => {
    expect(cacheDir({ HOME: '/ignored' })).toMatch(/\/\.cache\/lookout$/);
  });

  it('names the known commands when asked for an unknown one', () => {
    expect(() => ownerOf('grafana-server', versions)).toThrow(/no component builds a command named "grafana-server"; known: .*otelcol/);
  });

  it('is the rule scripts/backends/paths.sh prints, for every command (one source for shell and node)', () => {
    for (const command of Object.values(versions.components).flatMap((c) => Object.keys(c.commands ?? {}))) {
      // Exit 1 means "not built"; the path is printed either way.
      const printed = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'backends', 'paths.sh'), command], { encoding: 'utf8', env: { ...process.env, LOOKOUT_CACHE_DIR: '/somewhere' } }).stdout;
      expect(printed.trim(), command).toBe(binaryPath(command, { env: { LOOKOUT_CACHE_DIR: '/somewhere' } }));
    }
  });
});
