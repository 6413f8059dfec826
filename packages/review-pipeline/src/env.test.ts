import { describe, expect, it } from 'vitest';
import { ConfigError, loadPipelineOptions } from './env.ts';

describe('loadPipelineOptions', () => {
  it('has documented defaults: every module on, 400 / 300 changed lines', () => {
    const options = loadPipelineOptions({});
    expect(Object.values(options.modules).every((m) => m.enabled)).toBe(true);
    expect(options.modules.oversized_change).toMatchObject({ maxChangedLines: 400, maxChangedLinesPerFile: 300 });
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
    [{ LOOKOUT_REVIEWER_MAX_CHANGED_LINES_PER_FILE: 'many' }, 'LOOKOUT_REVIEWER_MAX_CHANGED_LINES_PER_FILE'],
  ])('rejects %o naming %s, without quoting the value', (env, variable) => {
    expect(() => loadPipelineOptions(env)).toThrow(ConfigError);
    expect(() => loadPipelineOptions(env)).toThrow(new RegExp(`${variable} is invalid`));
    expect(() => loadPipelineOptions(env)).not.toThrow(/spelling|many/);
  });
});
