import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing, startRedis, type TestRedis } from './redis.ts';

const skip = redisMissing();

describe.skipIf(skip)('startRedis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('serves the Redis protocol on the port it reports', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = createConnection(redis.port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        resolve(data.toString());
        socket.end();
      });
      socket.once('error', reject);
    });
    expect(reply).toBe('+PONG\r\n');
  });

  it('stops cleanly', async () => {
    const other = await startRedis();
    await other.stop();
    expect(other.process.child.exitCode ?? other.process.child.signalCode).not.toBeNull();
  });
});
