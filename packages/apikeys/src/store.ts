import type { Redis } from 'ioredis';
import { generateToken, hashSecret, isKeyId, parseToken, secretMatches } from './token.ts';

export interface ApiKeyStoreOptions {
  /** Key prefix, so tests and environments can share a Redis. Default "lookout". */
  prefix?: string;
  /** Clock, for created_at and revoked_at. Default Date.now. */
  now?: () => number;
}

/** What listApiKeys shows about a key: never its hash, never its token. */
export interface ApiKeyInfo {
  keyId: string;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601, when revoked. */
  revokedAt?: string;
}

export type VerifyFailure = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'mismatch';
export type VerifyResult = { ok: true; keyId: string } | { ok: false; reason: VerifyFailure };

export interface ImportResult {
  keyId: string;
  /** created: stored now; present: already stored with this secret; conflict: the key id is stored with another secret. */
  status: 'created' | 'present' | 'conflict';
}

/**
 * API keys in Redis. Each key is a hash at `<prefix>:apikey:<keyId>` with the fields
 * hash (SHA-256 of the secret), name, created_at and revoked_at; a set at `<prefix>:apikeys`
 * lists the key ids. The token itself is never stored.
 */
export class ApiKeyStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #now: () => number;

  constructor(redis: Redis, { prefix = 'lookout', now = Date.now }: ApiKeyStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#now = now;
  }

  #key = (keyId: string) => `${this.#prefix}:apikey:${keyId}`;
  get #index() {
    return `${this.#prefix}:apikeys`;
  }

  /** Creates a key. The token is returned here once and can't be recovered later. */
  async createApiKey({ name }: { name: string }): Promise<{ keyId: string; token: string }> {
    const cleanName = checkName(name);
    for (;;) {
      const { keyId, secret, token } = generateToken();
      // HSETNX claims the id atomically; a collision of 64 random bits is unlikely, but cheap to rule out.
      if ((await this.#redis.hsetnx(this.#key(keyId), 'hash', hashSecret(secret))) === 1) {
        await this.#finishCreate(keyId, cleanName);
        return { keyId, token };
      }
    }
  }

  /**
   * Stores a token made elsewhere (LOOKOUT_SEED_API_KEY) unless its key id is already stored.
   * Only its hash is kept. Throws when the token is malformed.
   */
  async importApiKey(token: string, { name }: { name: string }): Promise<ImportResult> {
    const parsed = parseToken(token);
    if (!parsed) throw new Error('the API key is malformed: expected lk_<16 hex>_<43 base64url>');
    const { keyId, secret } = parsed;
    if ((await this.#redis.hsetnx(this.#key(keyId), 'hash', hashSecret(secret))) === 1) {
      await this.#finishCreate(keyId, checkName(name));
      return { keyId, status: 'created' };
    }
    const stored = await this.#redis.hget(this.#key(keyId), 'hash');
    return { keyId, status: stored && secretMatches(secret, stored) ? 'present' : 'conflict' };
  }

  async #finishCreate(keyId: string, name: string): Promise<void> {
    await this.#redis
      .multi()
      .hset(this.#key(keyId), { name, created_at: new Date(this.#now()).toISOString() })
      .sadd(this.#index, keyId)
      .exec();
  }

  /** Checks a bearer token. Hashes are compared in constant time. */
  async verifyApiKey(token: string | undefined | null): Promise<VerifyResult> {
    if (!token) return { ok: false, reason: 'missing' };
    const parsed = parseToken(token);
    if (!parsed) return { ok: false, reason: 'malformed' };
    const [hash, revokedAt] = await this.#redis.hmget(this.#key(parsed.keyId), 'hash', 'revoked_at');
    if (!hash) return { ok: false, reason: 'unknown' };
    // The secret is checked before revocation, so only the holder of a key learns that it was revoked.
    if (!secretMatches(parsed.secret, hash)) return { ok: false, reason: 'mismatch' };
    if (revokedAt) return { ok: false, reason: 'revoked' };
    return { ok: true, keyId: parsed.keyId };
  }

  /** Revokes a key; true when the key exists. Revoking twice keeps the first time. */
  async revokeApiKey(keyId: string): Promise<boolean> {
    if (!isKeyId(keyId) || (await this.#redis.exists(this.#key(keyId))) === 0) return false;
    await this.#redis.hsetnx(this.#key(keyId), 'revoked_at', new Date(this.#now()).toISOString());
    return true;
  }

  /** Every key, oldest first, without hashes. */
  async listApiKeys(): Promise<ApiKeyInfo[]> {
    const keyIds = await this.#redis.smembers(this.#index);
    const pipeline = this.#redis.pipeline();
    for (const keyId of keyIds) pipeline.hmget(this.#key(keyId), 'name', 'created_at', 'revoked_at');
    const rows = (await pipeline.exec()) ?? [];
    const keys: ApiKeyInfo[] = [];
    rows.forEach(([error, fields], i) => {
      const [name, createdAt, revokedAt] = (fields ?? []) as (string | null)[];
      if (error || !createdAt) return;
      keys.push({ keyId: keyIds[i] as string, name: name ?? '', createdAt, ...(revokedAt ? { revokedAt } : {}) });
    });
    return keys.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId));
  }
}

const MAX_NAME_LENGTH = 100;

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > MAX_NAME_LENGTH) throw new Error(`an API key name must have 1 to ${MAX_NAME_LENGTH} characters`);
  return trimmed;
}
