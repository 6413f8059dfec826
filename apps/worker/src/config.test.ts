import { describe, expect, it } from 'vitest';
import { ConfigError, loadWorkerConfig } from './config.ts';

describe('worker config', () => {
  it('has documented defaults', () => {
    expect(loadWorkerConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6390',
      port: 4102,
      host: '127.0.0.1',
      concurrency: 2,
      gaugeRefreshMs: 5000,
    });
  });

  it('reads the environment', () => {
    const config = loadWorkerConfig({ REDIS_URL: 'redis://:pw@10.0.0.1:6380/2', PORT: '0', LOOKOUT_WORKER_CONCURRENCY: '4', LOOKOUT_QUEUE_GAUGE_REFRESH_MS: '' });
    expect(config).toMatchObject({ redisUrl: 'redis://:pw@10.0.0.1:6380/2', port: 0, concurrency: 4, gaugeRefreshMs: 5000 });
  });

  it('names the bad variable without quoting its value', () => {
    expect(() => loadWorkerConfig({ LOOKOUT_WORKER_CONCURRENCY: 'lots' })).toThrow(/LOOKOUT_WORKER_CONCURRENCY/);
    expect(() => loadWorkerConfig({ PORT: '70000' })).toThrow(ConfigError);
    let message = '';
    try {
      loadWorkerConfig({ REDIS_URL: 'http://user:hunter2@host' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('REDIS_URL');
    expect(message).not.toContain('hunter2');
  });
});
