import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { parseReviewOptions } from './options.ts';

describe('parseReviewOptions', () => {
  it('fills every documented default', () => {
    expect(parseReviewOptions()).toEqual({
      modules: {
        secrets: { enabled: true },
        todos: { enabled: true, markers: ['TODO', 'FIXME', 'XXX', 'HACK'] },
        oversized_change: { enabled: true, maxChangedLines: 400, maxChangedLinesPerFile: 300 },
        debug_leftovers: { enabled: true },
      },
    });
  });

  it('keeps defaults beside a partial override', () => {
    const options = parseReviewOptions({ modules: { oversized_change: { maxChangedLines: 50 }, todos: { enabled: false } } });
    expect(options.modules.oversized_change).toEqual({ enabled: true, maxChangedLines: 50, maxChangedLinesPerFile: 300 });
    expect(options.modules.todos.enabled).toBe(false);
    expect(options.modules.secrets.enabled).toBe(true);
  });

  it('rejects unknown modules, unknown keys and bad values', () => {
    expect(() => parseReviewOptions({ modules: { spelling: { enabled: true } } })).toThrow(ZodError);
    expect(() => parseReviewOptions({ verbose: true })).toThrow(ZodError);
    expect(() => parseReviewOptions({ modules: { oversized_change: { maxChangedLines: 0 } } })).toThrow(ZodError);
    expect(() => parseReviewOptions({ modules: { todos: { markers: ['NOTE'] } } })).toThrow(ZodError);
  });
});
