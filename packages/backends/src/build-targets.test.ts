// scripts/backends/build.sh's targets: COMPONENT builds all its commands, COMPONENT:COMMAND only that one
// (npm start runs prometheus and alertmanager, not promtool and amtool, and a cold start should not wait
// for them). Run against an empty cache where only the asked-for command exists: nothing may build.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { binaryPath, REPO_ROOT } from './index.js';

const BUILD = join(REPO_ROOT, 'scripts', 'backends', 'build.sh');
let cache: string | undefined;
afterEach(() => cache && rmSync(cache, { recursive: true, force: true }));

function cacheWith(...commands: string[]): string {
  cache = mkdtempSync(join(tmpdir(), 'lookout-build-targets-'));
  mkdirSync(join(cache, 'bin'));
  for (const command of commands) {
    const path = binaryPath(command, { env: { LOOKOUT_CACHE_DIR: cache } });
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
  }
  return cache;
}

const build = (dir: string, ...targets: string[]) =>
  spawnSync('bash', [BUILD, ...targets], { encoding: 'utf8', env: { ...process.env, LOOKOUT_CACHE_DIR: dir }, timeout: 60_000 });

describe('build.sh COMPONENT:COMMAND', () => {
  it('builds only the named command: with it in the cache, nothing is built though its sibling is missing', () => {
    const dir = cacheWith('prometheus');
    const run = build(dir, 'prometheus:prometheus');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('prometheus 3.16.0 already built');
    expect(run.stdout).not.toMatch(/to build:|: building/);
    // The sibling is still missing, and the whole component would build it.
    expect(run.stdout).toMatch(/promtool\s+\S+\s+missing/);
  });

  it('refuses a command the component does not build, naming the ones it does', () => {
    const run = build(cacheWith(), 'prometheus:promtol');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('prometheus has no command promtol (its commands: prometheus promtool');
  });
});
