import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@lookout/testkit';
import type { Component, StackContext } from './components.ts';
import { ComponentFailed, startAll } from './supervisor.ts';

/** A node process that prints its pid and "up", then runs `then`; healthy once it printed `readyWhen`. */
function nodeComponent(name: string, then: string, readyWhen = 'up'): Component {
  return {
    name,
    dependsOn: [],
    defaultPort: 0,
    start: () => ({ command: process.execPath, args: ['-e', `console.log('pid=' + process.pid); console.log('up'); ${then}`] }),
    ready: { outputIncludes: readyWhen },
    links: () => ({}),
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function context(names: string[]): Promise<StackContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-supervisor-'));
  dirs.push(dataDir);
  const ports = new Map<string, number>();
  for (const name of names) ports.set(name, await freePort());
  return { repoRoot: process.cwd(), dataDir, port: (name) => ports.get(name) ?? 0, redisUrl: '', apiKey: '' };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startAll', () => {
  it('fails naming the earlier component that exited while a later one was starting, and stops the later one', async () => {
    const ctx = await context(['early', 'slow']);
    const early = nodeComponent('early', 'setTimeout(() => process.exit(3), 300); setInterval(() => {}, 1000);');
    // Never prints what it is waited on: still starting when `early` exits.
    const slow = nodeComponent('slow', 'setInterval(() => {}, 1000);', 'never printed');

    const failure = await startAll([early, slow], ctx, { timeoutMs: 10_000 }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ComponentFailed);
    expect((failure as ComponentFailed).component).toBe('early');
    expect((failure as ComponentFailed).message).toContain('exited (3) while slow was starting');
    const slowPid = Number(/pid=(\d+)/.exec(readFileSync(join(ctx.dataDir, 'logs', 'slow.log'), 'utf8'))?.[1]);
    expect(slowPid).toBeGreaterThan(0);
    expect(alive(slowPid)).toBe(false);
  });

  it('fails naming a component that exits before it is healthy', async () => {
    const ctx = await context(['broken']);
    const broken = nodeComponent('broken', 'process.exit(2);', 'never printed');
    const failure = await startAll([broken], ctx, { timeoutMs: 10_000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ComponentFailed);
    expect((failure as ComponentFailed).component).toBe('broken');
    expect((failure as ComponentFailed).message).toContain('exited (2) before it was healthy');
  });
});
