import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing, startProcess, startRedis, type TestRedis } from '@lookout/testkit';
import { ApiKeyStore } from './store.ts';

const skip = redisMissing();
const seedScript = fileURLToPath(new URL('./seed.ts', import.meta.url));

async function runSeed(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = startProcess({ name: 'seed', command: process.execPath, args: [seedScript, ...args], env });
  let stdout = '';
  child.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await child.exited;
  return { code, stdout, output: child.output() };
}

describe.skipIf(skip)('seed command', () => {
  let server: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('prints a token once that then verifies', async () => {
    const { code, stdout, output } = await runSeed(['--name', 'ci-bot'], { REDIS_URL: server.url });
    expect(code, output).toBe(0);
    const token = stdout.trim();
    expect(token).toMatch(/^lk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const result = await new ApiKeyStore(redis).verifyApiKey(token);
    expect(result.ok).toBe(true);
    expect((await new ApiKeyStore(redis).listApiKeys()).map((k) => k.name)).toContain('ci-bot');
  });

  it('documents itself and insists on a name', async () => {
    const help = await runSeed(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--name <name>');
    const missing = await runSeed([], { REDIS_URL: server.url });
    expect(missing.code).not.toBe(0);
    expect(missing.output).toMatch(/--name/);
  });

  it('fails with a short message when Redis is not there', async () => {
    const { code, output } = await runSeed(['--name', 'x', '--redis-url', 'redis://127.0.0.1:1']);
    expect(code).toBe(1);
    expect(output).toMatch(/seed failed/);
    expect(output).not.toMatch(/\n\s+at /);
  });
});
