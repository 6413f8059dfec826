import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing, startRedis, type TestRedis } from '@lookout/testkit';
import { ApiKeyStore } from './store.ts';
import { parseToken } from './token.ts';

const skip = redisMissing();

describe.skipIf(skip)('ApiKeyStore on a real Redis', () => {
  let server: TestRedis;
  let redis: Redis;
  let keys: ApiKeyStore;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
    keys = new ApiKeyStore(redis, { prefix: 'test' });
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('creates a key that verifies, and stores only its hash', async () => {
    const { keyId, token } = await keys.createApiKey({ name: 'ci-bot' });
    expect(await keys.verifyApiKey(token)).toEqual({ ok: true, keyId });

    const stored = await redis.hgetall(`test:apikey:${keyId}`);
    expect(Object.keys(stored).sort()).toEqual(['created_at', 'hash', 'name']);
    expect(stored.name).toBe('ci-bot');
    const { secret } = parseToken(token)!;
    // Nothing in Redis holds the token or its secret.
    const dump = JSON.stringify(await Promise.all((await redis.keys('test:*')).map(async (k) => [k, await redis.dump(k)])));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(token);
  });

  it('says why a token is refused', async () => {
    const { keyId, token } = await keys.createApiKey({ name: 'victim' });
    const secret = parseToken(token)!.secret;
    const otherSecret = secret.startsWith('A') ? `B${secret.slice(1)}` : `A${secret.slice(1)}`;
    expect(await keys.verifyApiKey(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(await keys.verifyApiKey('')).toEqual({ ok: false, reason: 'missing' });
    expect(await keys.verifyApiKey('hunter2')).toEqual({ ok: false, reason: 'malformed' });
    expect(await keys.verifyApiKey(`lk_ffffffffffffffff_${secret}`)).toEqual({ ok: false, reason: 'unknown' });
    expect(await keys.verifyApiKey(`lk_${keyId}_${otherSecret}`)).toEqual({ ok: false, reason: 'mismatch' });

    expect(await keys.revokeApiKey(keyId)).toBe(true);
    expect(await keys.verifyApiKey(token)).toEqual({ ok: false, reason: 'revoked' });
    // A wrong secret for a revoked key is still a mismatch: revocation is only told to the key's holder.
    expect(await keys.verifyApiKey(`lk_${keyId}_${otherSecret}`)).toEqual({ ok: false, reason: 'mismatch' });
    expect(await keys.revokeApiKey('ffffffffffffffff')).toBe(false);
    expect(await keys.revokeApiKey('not-a-key-id')).toBe(false);
  });

  it('keeps the first revocation time', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clocked = new ApiKeyStore(redis, { prefix: 'clock', now: () => now });
    const { keyId } = await clocked.createApiKey({ name: 'x' });
    now += 1000;
    await clocked.revokeApiKey(keyId);
    now += 1000;
    await clocked.revokeApiKey(keyId);
    expect(await clocked.listApiKeys()).toEqual([{ keyId, name: 'x', createdAt: '2026-01-01T00:00:00.000Z', revokedAt: '2026-01-01T00:00:01.000Z' }]);
  });

  it('lists keys oldest first without hashes or tokens', async () => {
    const listing = new ApiKeyStore(redis, { prefix: 'list' });
    const a = await listing.createApiKey({ name: 'a' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const b = await listing.createApiKey({ name: 'b' });
    await listing.revokeApiKey(a.keyId);
    const listed = await listing.listApiKeys();
    expect(listed.map((k) => [k.keyId, k.name, Boolean(k.revokedAt)])).toEqual([
      [a.keyId, 'a', true],
      [b.keyId, 'b', false],
    ]);
    const text = JSON.stringify(listed);
    for (const token of [a.token, b.token]) expect(text).not.toContain(parseToken(token)!.secret);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });

  it('imports a seeded token once and notices a different secret under the same id', async () => {
    const seeding = new ApiKeyStore(redis, { prefix: 'seed' });
    const token = `lk_0123456789abcdef_${'s'.repeat(43)}`;
    expect(await seeding.importApiKey(token, { name: 'seed' })).toEqual({ keyId: '0123456789abcdef', status: 'created' });
    expect(await seeding.importApiKey(token, { name: 'seed' })).toEqual({ keyId: '0123456789abcdef', status: 'present' });
    expect(await seeding.importApiKey(`lk_0123456789abcdef_${'t'.repeat(43)}`, { name: 'seed' })).toMatchObject({ status: 'conflict' });
    expect(await seeding.verifyApiKey(token)).toEqual({ ok: true, keyId: '0123456789abcdef' });
    await expect(seeding.importApiKey('lk_nope', { name: 'seed' })).rejects.toThrow(/malformed/);
  });

  it('refuses an empty name', async () => {
    await expect(keys.createApiKey({ name: '  ' })).rejects.toThrow(/name/);
  });
});
