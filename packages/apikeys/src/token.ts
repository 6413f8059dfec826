import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every token starts with this, so secret scanners and log masking can spot one. */
export const TOKEN_PREFIX = 'lk_';

// keyId: 16 lower-case hex characters (64 random bits; an identifier, not a secret).
// secret: 32 random bytes in base64url, always 43 characters. base64url may contain "_",
// so the secret is everything after the second underscore and the key id never contains one.
const TOKEN_PATTERN = /^lk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;

export interface ParsedToken {
  keyId: string;
  secret: string;
}

export const isKeyId = (value: string): boolean => KEY_ID_PATTERN.test(value);

/** A fresh key id and secret, and the token that joins them. */
export function generateToken(): ParsedToken & { token: string } {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secret, token: `${TOKEN_PREFIX}${keyId}_${secret}` };
}

/** The key id and secret of a well-formed token, else undefined. */
export function parseToken(token: string): ParsedToken | undefined {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { keyId: match[1] as string, secret: match[2] as string } : undefined;
}

/**
 * The stored form of a secret: its SHA-256, hex.
 *
 * Why not scrypt or argon2: those slow hashes exist to make guessing a low-entropy
 * password expensive. The secret here is 256 bits from the CSPRNG, so brute force is out
 * of reach however fast the hash is, and a leaked hash is as good as useless. A fast hash
 * keeps verification (which runs on every MCP request) in the microseconds.
 */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Constant-time comparison of a secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  // Both are SHA-256 digests, so lengths differ only for a corrupt record; timingSafeEqual needs equal lengths.
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
