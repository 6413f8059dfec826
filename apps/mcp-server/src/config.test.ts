import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const SEED = `lk_0123456789abcdef_${'A'.repeat(43)}`;

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 4100,
      host: '127.0.0.1',
      redisUrl: 'redis://127.0.0.1:6390',
      reviewerUrl: 'http://127.0.0.1:4101',
      maxBodyBytes: 1048576,
      reviewerTimeoutMs: 30000,
      digestTimeoutMs: 30000,
    });
  });

  it('reads the environment, treating empty as unset', () => {
    const config = loadConfig({ PORT: '0', HOST: '', REVIEWER_URL: 'http://reviewer:4101/', LOOKOUT_MAX_BODY_BYTES: '2048', LOOKOUT_SEED_API_KEY: SEED });
    expect(config).toMatchObject({ port: 0, host: '127.0.0.1', reviewerUrl: 'http://reviewer:4101', maxBodyBytes: 2048, seedApiKey: SEED });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REVIEWER_URL', 'reviewer:4101'],
    ['LOOKOUT_MAX_BODY_BYTES', '-1'],
    ['LOOKOUT_DIGEST_TIMEOUT_MS', '1.5'],
  ])('names %s when it is bad', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('never quotes a bad seed key or a Redis password', () => {
    const secret = 'lk_notavalidkey_supersecretvalue';
    let message = '';
    try {
      loadConfig({ LOOKOUT_SEED_API_KEY: secret, REDIS_URL: 'redis-with-password://:hunter2@host' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/LOOKOUT_SEED_API_KEY/);
    expect(message).toMatch(/REDIS_URL/);
    expect(message).not.toContain('supersecretvalue');
    expect(message).not.toContain('hunter2');
  });
});
