import { afterEach, describe, expect, it, vi } from 'vitest';
import { missingPart, which } from './real-parts.ts';

describe('missingPart', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is silent when the part is present', () => {
    expect(missingPart('thing', true, 'install it')).toBeUndefined();
  });

  it('fails under CI, naming the part and how to get it', () => {
    vi.stubEnv('CI', 'true');
    expect(() => missingPart('loki', false, 'scripts/backends/build.sh loki')).toThrow(/loki is missing: scripts\/backends\/build.sh loki/);
  });

  it('returns a skip reason locally', () => {
    vi.stubEnv('CI', '');
    expect(missingPart('loki', false, 'build it')).toMatch(/loki is missing/);
  });
});

describe('which', () => {
  it('finds sh and not a made-up command', () => {
    expect(which('sh')).toMatch(/\/sh$/);
    expect(which('definitely-not-a-command-xyz')).toBeUndefined();
  });
});
