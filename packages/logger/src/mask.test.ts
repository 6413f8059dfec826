import { describe, expect, it } from 'vitest';
import { isSecretKey, maskSecrets, maskString, REDACTED } from './mask.ts';
import { findLeaks, SAFE_CORPUS, SECRET_CORPUS } from './testing/secret-corpus.ts';

describe('maskString', () => {
  it('has a corpus of at least 30 distinct secret shapes', () => {
    expect(new Set(SECRET_CORPUS.map((sample) => sample.name)).size).toBeGreaterThanOrEqual(30);
  });

  it.each(SECRET_CORPUS.map((sample) => [sample.name, sample] as const))('masks %s', (_name, sample) => {
    const masked = maskString(sample.text);
    expect(masked).not.toContain(sample.secret);
    expect(masked).toContain(REDACTED);
  });

  it.each(SAFE_CORPUS.map((sample) => [sample.name, sample.text] as const))('leaves %s alone', (_name, text) => {
    expect(maskString(text)).toBe(text);
  });

  it('keeps what helps reading the line: scheme, user, key names', () => {
    expect(maskString('postgres://lookout:s3cr3t@db:5432/x')).toBe(`postgres://lookout:${REDACTED}@db:5432/x`);
    expect(maskString('redis://:hunter2secret@127.0.0.1:6379')).toBe(`redis://:${REDACTED}@127.0.0.1:6379`);
    expect(maskString('Authorization: Bearer abc123def456')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(maskString('/cb?token=abc&page=2&api_key=k1&password=p')).toBe(`/cb?token=${REDACTED}&page=2&api_key=${REDACTED}&password=${REDACTED}`);
    expect(maskString('posting to https://hooks.slack.com/services/T0/B0/XXXXXXXX')).toBe(`posting to https://hooks.slack.com/services/${REDACTED}`);
  });

  it('stays linear on long runs of word boundaries (a.a.a..., a-a-a...), which made the URL rule quadratic', () => {
    // Not a timing assertion: the old rule needed about a minute for these, the bounded one milliseconds.
    for (const text of ['a.'.repeat(100_000), 'a-'.repeat(100_000), `${'a.'.repeat(100_000)}b://u:pw123456@h`]) {
      expect(maskString(text).endsWith('pw123456@h')).toBe(false);
    }
  });

  it('is idempotent', () => {
    for (const sample of SECRET_CORPUS) {
      const once = maskString(sample.text);
      expect(maskString(once)).toBe(once);
    }
  });

  it('masks every secret of a long multi-secret text at once', () => {
    const text = SECRET_CORPUS.map((sample) => sample.text).join(' | ');
    expect(findLeaks(maskString(text))).toEqual([]);
  });
});

describe('isSecretKey', () => {
  it.each([
    'authorization', 'Proxy-Authorization', 'cookie', 'Set-Cookie', 'password', 'passwd', 'pwd', 'secret', 'client_secret',
    'token', 'access_token', 'refreshToken', 'id-token', 'api_key', 'apiKey', 'x-api-key', 'private_key', 'session', 'session_id',
    'credentials', 'db_password', 'GITHUB_TOKEN', 'aws_secret_access_key', 'AccountKey', 'webhookSecret',
  ])('treats %s as secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['tokenizer', 'max_tokens', 'token_count', 'password_policy_version', 'passwordless', 'user_id', 'request_id', 'key', 'cache_key', 'session_count', 'bypass'])(
    'treats %s as ordinary',
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );
});

describe('maskSecrets', () => {
  it('masks by key at any depth, case-insensitively, and by value pattern', () => {
    const input = {
      user: 'ann',
      headers: { Authorization: 'Bearer x', 'X-API-KEY': 'k', accept: 'application/json' },
      nested: { deeper: [{ clientSecret: 's' }, { note: 'uses ghp_16C7e42F292c6912E7710c838347Ae178B4a' }] },
      password_policy_version: 3,
      hasPassword: true,
      token: null,
    };
    expect(maskSecrets(input)).toEqual({
      user: 'ann',
      headers: { Authorization: REDACTED, 'X-API-KEY': REDACTED, accept: 'application/json' },
      nested: { deeper: [{ clientSecret: REDACTED }, { note: `uses ${REDACTED}` }] },
      password_policy_version: 3,
      hasPassword: true,
      token: null,
    });
  });

  it('masks a whole object or array under a secret key', () => {
    expect(maskSecrets({ credentials: { user: 'a', pass: 'b' }, cookies: ['a=1', 'b=2'] })).toEqual({ credentials: REDACTED, cookies: REDACTED });
  });

  it('never mutates its input and returns clean input as the same reference', () => {
    const input = { a: { password: 'p', list: ['Bearer abcdefgh12345678'] }, clean: { x: 1 } };
    const snapshot = structuredClone(input);
    const masked = maskSecrets(input);
    expect(input).toEqual(snapshot);
    expect(masked.clean).toBe(input.clean);
    const clean = { x: 1, y: ['z'] };
    expect(maskSecrets(clean)).toBe(clean);
  });

  it('turns an Error into its masked serialized form, cause included', () => {
    const error = new Error('connect to postgres://app:pw123456@db failed', { cause: new Error('token=abcdef123') });
    const masked = maskSecrets(error) as unknown as Record<string, string>;
    expect(masked.type).toBe('Error');
    expect(masked.message).toContain(`postgres://app:${REDACTED}@db`);
    expect(JSON.stringify(masked)).not.toMatch(/pw123456|abcdef123/);
    expect(masked.stack).toContain('Error: connect to');
  });

  it('masks what an object serializes to (toJSON), such as a URL', () => {
    expect(maskSecrets({ url: new URL('https://bob:hunter22@example.com/x') })).toEqual({ url: `https://bob:${REDACTED}@example.com/x` });
  });

  it('survives cycles and deep nesting without leaking through them', () => {
    const cyclic: Record<string, unknown> = { password: 'p' };
    cyclic.self = cyclic;
    const masked = maskSecrets(cyclic);
    expect(masked).toEqual({ password: REDACTED, self: '[Circular]' });
    let deep: Record<string, unknown> = { password: 'deep-secret' };
    for (let i = 0; i < 40; i++) deep = { next: deep };
    expect(JSON.stringify(maskSecrets(deep))).not.toContain('deep-secret');
  });

  it('masks secret-shaped keys (client-chosen argument names) like values, keeping both entries', () => {
    const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const masked = maskSecrets({ sizes: { diff: 10, [token]: 3, [`${token}x`]: 4 } });
    expect(JSON.stringify(masked)).not.toContain('16C7e42F292c6912E7710c838347Ae178B4a');
    expect(masked).toEqual({ sizes: { diff: 10, [REDACTED]: 3, [`${REDACTED} (2)`]: 4 } });
    expect(isSecretKey(token)).toBe(false);
  });

  it('leaves numbers, booleans, dates and buffers as they are', () => {
    const date = new Date(0);
    const buffer = Buffer.from('abc');
    const input = { n: 1, b: false, date, buffer };
    expect(maskSecrets(input)).toBe(input);
  });
});
