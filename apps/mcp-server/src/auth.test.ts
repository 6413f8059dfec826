import { describe, expect, it } from 'vitest';
import { authOutcome, bearerToken, challenge } from './auth.ts';

describe('bearerToken', () => {
  it('reads the token of a Bearer header, any case of the scheme', () => {
    expect(bearerToken('Bearer lk_abc_def')).toBe('lk_abc_def');
    expect(bearerToken('bearer   lk_abc_def ')).toBe('lk_abc_def');
    expect(bearerToken('BEARER\tx')).toBe('x');
  });

  it('has nothing for other schemes or no header', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Bearerlk_abc')).toBeUndefined();
  });

  it('gives an empty token for a bare "Bearer" (missing) and keeps junk for the verifier to refuse', () => {
    expect(bearerToken('Bearer ')).toBe('');
    expect(bearerToken('Bearer')).toBe('');
    expect(bearerToken('Bearer a b')).toBe('a b');
  });
});

describe('challenge', () => {
  it('leaves out the error code when no credentials came (RFC 6750 §3.1)', () => {
    expect(challenge('missing')).toBe('Bearer realm="lookout"');
  });

  it.each(['malformed', 'unknown', 'revoked', 'mismatch'] as const)('says invalid_token for %s', (reason) => {
    expect(challenge(reason)).toBe('Bearer realm="lookout", error="invalid_token"');
  });
});

describe('authOutcome', () => {
  it('folds the refusal reasons into the catalog outcomes', () => {
    expect(authOutcome(undefined)).toBe('success');
    expect(authOutcome('missing')).toBe('missing');
    expect(authOutcome('revoked')).toBe('invalid');
    expect(authOutcome('malformed')).toBe('invalid');
  });
});
