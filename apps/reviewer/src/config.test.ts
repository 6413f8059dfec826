import { describe, expect, it } from 'vitest';
import { ConfigError, loadPipelineOptions, loadReviewerConfig } from './config.ts';

describe('reviewer config', () => {
  it('has documented defaults: every module on, 1 MiB bodies, port 4101', () => {
    const config = loadReviewerConfig({});
    expect(config).toMatchObject({ port: 4101, host: '127.0.0.1', maxBodyBytes: 1024 * 1024 });
    expect(Object.values(config.review.modules).every((m) => m.enabled)).toBe(true);
    expect(config.review.modules.oversized_change).toMatchObject({ maxChangedLines: 400, maxChangedLinesPerFile: 300 });
  });

  it('enables the listed modules and sets the size limits', () => {
    const options = loadPipelineOptions({
      LOOKOUT_REVIEWER_MODULES: ' secrets , oversized_change ',
      LOOKOUT_REVIEWER_MAX_CHANGED_LINES: '50',
      LOOKOUT_REVIEWER_MAX_CHANGED_LINES_PER_FILE: '20',
    });
    expect(options.modules.secrets.enabled).toBe(true);
    expect(options.modules.todos.enabled).toBe(false);
    expect(options.modules.debug_leftovers.enabled).toBe(false);
    expect(options.modules.oversized_change).toEqual({ enabled: true, maxChangedLines: 50, maxChangedLinesPerFile: 20 });
  });

  it.each([
    [{ LOOKOUT_REVIEWER_MODULES: 'secrets,spelling' }, 'LOOKOUT_REVIEWER_MODULES'],
    [{ LOOKOUT_REVIEWER_MODULES: ',' }, 'LOOKOUT_REVIEWER_MODULES'],
    [{ LOOKOUT_REVIEWER_MAX_CHANGED_LINES: '-3' }, 'LOOKOUT_REVIEWER_MAX_CHANGED_LINES'],
    [{ LOOKOUT_MAX_BODY_BYTES: 'big' }, 'LOOKOUT_MAX_BODY_BYTES'],
    [{ PORT: '65536' }, 'PORT'],
  ])('rejects %o naming %s', (env, variable) => {
    expect(() => loadReviewerConfig(env)).toThrow(ConfigError);
    expect(() => loadReviewerConfig(env)).toThrow(new RegExp(`${variable} is invalid`));
  });
});
