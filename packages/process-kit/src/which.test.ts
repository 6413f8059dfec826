import { describe, expect, it } from 'vitest';
import { which } from './which.ts';

describe('which', () => {
  it('finds sh and not a made-up command', () => {
    expect(which('sh')).toMatch(/\/sh$/);
    expect(which('definitely-not-a-command-xyz')).toBeUndefined();
  });
});
