import type { Redis } from 'ioredis';
import { storedReviewSchema, type StoredReview } from './schema.ts';

export interface ReviewStoreOptions {
  /** Key prefix, so tests and environments can share a Redis. Default "lookout". */
  prefix?: string;
  /** How long a review is kept, in seconds. Default 7 days. */
  ttlSeconds?: number;
}

/** Reviews in Redis: one JSON value per review, plus a sorted set by creation time for digests. */
export class ReviewStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlSeconds: number;

  constructor(redis: Redis, { prefix = 'lookout', ttlSeconds = 7 * 24 * 3600 }: ReviewStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#ttlSeconds = ttlSeconds;
  }

  #key = (id: string) => `${this.#prefix}:review:${id}`;
  get #index() {
    return `${this.#prefix}:reviews:by-created`;
  }

  async put(review: StoredReview): Promise<void> {
    const valid = storedReviewSchema.parse(review);
    await this.#redis
      .multi()
      .set(this.#key(valid.id), JSON.stringify(valid), 'EX', this.#ttlSeconds)
      .zadd(this.#index, valid.createdAt, valid.id)
      .zremrangebyscore(this.#index, '-inf', Date.now() - this.#ttlSeconds * 1000)
      .exec();
  }

  /** Merges fields into a stored review; returns the result, or undefined when the id is unknown. */
  async update(id: string, fields: Partial<Omit<StoredReview, 'id'>>): Promise<StoredReview | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const next = { ...current, ...fields };
    await this.put(next);
    return next;
  }

  async get(id: string): Promise<StoredReview | undefined> {
    const raw = await this.#redis.get(this.#key(id));
    return raw ? storedReviewSchema.parse(JSON.parse(raw)) : undefined;
  }

  async listCreatedBetween(sinceMs: number, untilMs: number): Promise<StoredReview[]> {
    const ids = await this.#redis.zrangebyscore(this.#index, sinceMs, `(${untilMs}`);
    if (ids.length === 0) return [];
    const raws = await this.#redis.mget(ids.map(this.#key));
    return raws.flatMap((raw) => (raw ? [storedReviewSchema.parse(JSON.parse(raw))] : []));
  }
}
