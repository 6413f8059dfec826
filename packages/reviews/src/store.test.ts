import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing, startRedis, type TestRedis } from '@lookout/testkit';
import { ReviewStore } from './store.ts';

const skip = redisMissing();

describe.skipIf(skip)('ReviewStore on a real Redis', () => {
  let server: TestRedis;
  let redis: Redis;
  let store: ReviewStore;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
    store = new ReviewStore(redis, { prefix: 'test' });
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('round-trips a review and updates it', async () => {
    await store.put({ id: 'r1', status: 'queued', source: 'job', requestedBy: 'k', createdAt: Date.now() });
    const updated = await store.update('r1', { status: 'completed', outcome: 'success', findings: [] });
    expect(updated?.status).toBe('completed');
    expect(await store.get('r1')).toEqual(updated);
    expect(await store.update('missing', { status: 'failed' })).toBeUndefined();
    expect(await redis.ttl('test:review:r1')).toBeGreaterThan(0);
  });

  it('lists reviews by creation time window', async () => {
    const now = Date.now();
    await store.put({ id: 'old', status: 'completed', source: 'job', requestedBy: 'k', createdAt: now - 60_000 });
    await store.put({ id: 'new', status: 'completed', source: 'job', requestedBy: 'k', createdAt: now });
    const ids = (await store.listCreatedBetween(now - 1000, now + 1)).map((r) => r.id);
    expect(ids).toContain('new');
    expect(ids).not.toContain('old');
  });

  it('rejects a malformed review instead of storing it', async () => {
    await expect(store.put({ id: 'bad', status: 'nope' } as never)).rejects.toThrow();
    expect(await store.get('bad')).toBeUndefined();
  });
});
