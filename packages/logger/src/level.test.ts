import { describe, expect, it } from 'vitest';
import { resolveLevel } from './level.ts';

describe('resolveLevel', () => {
  it('accepts every pino level, ignoring case and spaces', () => {
    expect(resolveLevel(' DEBUG ')).toEqual({ level: 'debug' });
    expect(resolveLevel('silent')).toEqual({ level: 'silent' });
  });

  it('defaults to info when unset or empty', () => {
    expect(resolveLevel(undefined)).toEqual({ level: 'info' });
    expect(resolveLevel('  ')).toEqual({ level: 'info' });
  });

  it('falls back to info and reports the rejected value', () => {
    expect(resolveLevel('verbose')).toEqual({ level: 'info', rejected: 'verbose' });
  });
});
