import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitUntil, which, type RunningProcess } from '@lookout/process-kit';
import { missingPart } from './real-parts.ts';

export interface TestRedis {
  url: string;
  port: number;
  process: RunningProcess;
  stop(): Promise<void>;
}

/** Debian's redis-server on a free loopback port with a throwaway data dir. */
export async function startRedis(): Promise<TestRedis> {
  const binary = which('redis-server');
  if (!binary) throw new Error('redis-server is missing: apt-get install redis-server (.ci/run does this)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lookout-redis-'));
  const redis = startProcess({
    name: 'redis-server',
    command: binary,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
  });
  await waitUntil('redis-server to accept connections', () => redis.output().includes('Ready to accept connections') || undefined, {
    timeoutMs: 10_000,
    context: () => redis.tail(),
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: redis,
    async stop() {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Undefined when redis-server is installed; otherwise the skip reason (and under CI, a thrown error). */
export const redisMissing = (): string | undefined =>
  missingPart('redis-server', which('redis-server') !== undefined, 'apt-get install redis-server (.ci/run does this)');
