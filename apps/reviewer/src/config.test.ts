import { describe, expect, it } from 'vitest';
import { ConfigError, loadReviewerConfig } from './config.ts';

describe('reviewer config', () => {
  it('has documented defaults: every module on, 1 MiB bodies, port 4101', () => {
    const config = loadReviewerConfig({});
    expect(config).toMatchObject({ port: 4101, host: '127.0.0.1', maxBodyBytes: 1024 * 1024 });
    expect(Object.values(config.review.modules).every((m) => m.enabled)).toBe(true);
    expect(config.review.modules.oversized_change).toMatchObject({ maxChangedLines: 400, maxChangedLinesPerFile: 300 });
  });

  it('reads the pipeline options from the same environment', () => {
    const config = loadReviewerConfig({ LOOKOUT_REVIEWER_MODULES: 'todos' });
    expect(config.review.modules.todos.enabled).toBe(true);
    expect(config.review.modules.secrets.enabled).toBe(false);
  });

  it.each([
    [{ LOOKOUT_REVIEWER_MODULES: 'secrets,spelling' }, 'LOOKOUT_REVIEWER_MODULES'],
    [{ LOOKOUT_MAX_BODY_BYTES: 'big' }, 'LOOKOUT_MAX_BODY_BYTES'],
    [{ PORT: '65536' }, 'PORT'],
  ])('rejects %o naming %s', (env, variable) => {
    expect(() => loadReviewerConfig(env)).toThrow(ConfigError);
    expect(() => loadReviewerConfig(env)).toThrow(new RegExp(`${variable} is invalid`));
  });
});
