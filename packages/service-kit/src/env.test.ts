import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigError, envVar, parseEnv } from './env.ts';

const schema = z.object({ PORT: envVar.port(4100), REDIS_URL: envVar.redisUrl(), UPSTREAM: envVar.httpUrl('http://127.0.0.1:1/') });

describe('parseEnv', () => {
  it('applies defaults, treats empty as unset, and trims a trailing slash from URLs', () => {
    expect(parseEnv(schema, { PORT: '' })).toEqual({ PORT: 4100, REDIS_URL: 'redis://127.0.0.1:6390', UPSTREAM: 'http://127.0.0.1:1' });
  });

  it('names every bad variable and never quotes a value', () => {
    let error: unknown;
    try {
      parseEnv(schema, { PORT: '70000', REDIS_URL: 'http://:hunter2@host' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/PORT is invalid/);
    expect((error as Error).message).toMatch(/REDIS_URL is invalid: must be a redis:\/\//);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
