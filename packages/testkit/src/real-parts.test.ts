import { afterEach, describe, expect, it, vi } from 'vitest';
import { missingPart } from './real-parts.ts';

describe('missingPart', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is silent when the part is present', () => {
    expect(missingPart('thing', true, 'install it')).toBeUndefined();
  });

  it('fails under CI, naming the part and how to get it', () => {
    vi.stubEnv('CI', 'true');
    expect(() => missingPart('victoria-logs', false, 'scripts/backends/build.sh victorialogs')).toThrow(/victoria-logs is missing: scripts\/backends\/build.sh victorialogs/);
  });

  it('returns a skip reason locally', () => {
    vi.stubEnv('CI', '');
    expect(missingPart('victoria-logs', false, 'build it')).toMatch(/victoria-logs is missing/);
  });
});
