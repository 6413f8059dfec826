import { describe, expect, it } from 'vitest';
import { generateToken, hashSecret, parseToken, secretMatches } from './token.ts';

describe('tokens', () => {
  it('generates lk_<keyId>_<secret> tokens that parse back, even when the secret holds "_"', () => {
    for (let i = 0; i < 200; i++) {
      const { keyId, secret, token } = generateToken();
      expect(token).toMatch(/^lk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(parseToken(token)).toEqual({ keyId, secret });
    }
    expect(parseToken(`lk_0123456789abcdef_${'_'.repeat(43)}`)).toEqual({ keyId: '0123456789abcdef', secret: '_'.repeat(43) });
  });

  it('rejects anything else', () => {
    const secret = 'a'.repeat(43);
    for (const bad of ['', 'lk_', `lk_0123456789abcdef_${secret}x`, `lk_0123456789ABCDEF_${secret}`, `xx_0123456789abcdef_${secret}`, `lk_0123456789abcdef_${'a'.repeat(42)}=`, ` lk_0123456789abcdef_${secret}`]) {
      expect(parseToken(bad), bad).toBeUndefined();
    }
  });

  it('compares a secret with its stored hash', () => {
    const { secret } = generateToken();
    const stored = hashSecret(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(`${secret.slice(0, -1)}x`, stored)).toBe(secret.endsWith('x'));
    expect(secretMatches(secret, 'abcd')).toBe(false);
  });
});
