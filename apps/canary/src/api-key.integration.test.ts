// The canary's key against a real Redis: created once (and audited), reused, left alone when revoked.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '@lookout/apikeys';
import { redisMissing, startRedis, type TestRedis } from '@lookout/testkit';
import { ensureCanaryKey } from './api-key.ts';

describe.skipIf(redisMissing())('the canary API key', () => {
  let redis: TestRedis;
  let client: Redis;
  const dir = mkdtempSync(join(tmpdir(), 'lookout-canary-key-'));
  const keyFile = join(dir, 'canary', 'api-key');
  const recorded: unknown[] = [];
  const audit = { record: async (input: unknown) => { recorded.push(input); return input as never; } };

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is created when missing, kept 0600, audited once, and reused after', async () => {
    const store = new ApiKeyStore(client);
    const first = await ensureCanaryKey(store, keyFile, audit);
    expect(first.created).toBe(true);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(first.token);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await store.verifyApiKey(first.token)).toMatchObject({ ok: true });
    expect(recorded).toEqual([expect.objectContaining({ action: 'admin.apikey.create', actor: { type: 'service', id: 'canary' }, outcome: 'success' })]);
    expect(JSON.stringify(recorded)).not.toContain(first.token);
    const again = await ensureCanaryKey(store, keyFile, audit);
    expect(again).toEqual({ token: first.token, created: false });
    expect(recorded).toHaveLength(1);
  });

  it('keeps a revoked key revoked (an operator decided; the probes report auth)', async () => {
    const store = new ApiKeyStore(client);
    const { token } = await ensureCanaryKey(store, keyFile, audit);
    const [key] = (await store.listApiKeys()).filter((k) => k.name === 'canary');
    await store.revokeApiKey(key!.keyId);
    expect(await ensureCanaryKey(store, keyFile, audit)).toEqual({ token, created: false });
  });

  it('makes a new key when Redis no longer knows the stored one', async () => {
    await client.flushall();
    const store = new ApiKeyStore(client);
    const renewed = await ensureCanaryKey(store, keyFile, audit);
    expect(renewed.created).toBe(true);
    expect(await store.verifyApiKey(renewed.token)).toMatchObject({ ok: true });
  });
});
