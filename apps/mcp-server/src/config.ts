import { z } from 'zod';
import { parseToken } from '@lookout/apikeys';

// An empty variable counts as unset, so `PORT= node main.ts` falls back to the default.
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const positiveInt = (fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().default(fallback));
const httpUrl = (fallback: string) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^https?:\/\/[^/]/, 'must be an http:// or https:// URL')
      .default(fallback)
      .transform((url) => url.replace(/\/+$/, '')),
  );

const envSchema = z.object({
  PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(4100)),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  REDIS_URL: z.preprocess(unsetIfEmpty, z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').default('redis://127.0.0.1:6379')),
  REVIEWER_URL: httpUrl('http://127.0.0.1:4101'),
  LOOKOUT_MAX_BODY_BYTES: positiveInt(1024 * 1024),
  LOOKOUT_REVIEWER_TIMEOUT_MS: positiveInt(30_000),
  LOOKOUT_DIGEST_TIMEOUT_MS: positiveInt(30_000),
  LOOKOUT_SEED_API_KEY: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((token) => parseToken(token) !== undefined, 'must look like lk_<16 hex>_<43 base64url> (make one with packages/apikeys/src/seed.ts)')
      .optional(),
  ),
});

export interface McpServerConfig {
  /** PORT, default 4100. */
  port: number;
  /** HOST, default 127.0.0.1. */
  host: string;
  /** REDIS_URL, default redis://127.0.0.1:6379: API keys, the review store and the job queue. */
  redisUrl: string;
  /** REVIEWER_URL, default http://127.0.0.1:4101, without a trailing slash. */
  reviewerUrl: string;
  /** LOOKOUT_MAX_BODY_BYTES, default 1 MiB: a larger POST /mcp body is refused with 413. */
  maxBodyBytes: number;
  /** LOOKOUT_REVIEWER_TIMEOUT_MS, default 30 s: how long review_diff waits for the reviewer. */
  reviewerTimeoutMs: number;
  /** LOOKOUT_DIGEST_TIMEOUT_MS, default 30 s: how long bot_digest waits for the worker. */
  digestTimeoutMs: number;
  /** LOOKOUT_SEED_API_KEY: a token stored (as a hash) at start-up when its key id is not stored yet. */
  seedApiKey?: string;
}

/** Thrown for a bad environment; the message names the variable and never quotes its value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): McpServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Values are left out on purpose: REDIS_URL may carry a password, LOOKOUT_SEED_API_KEY is one.
    // "NAME is invalid: ..." rather than "NAME: ...", which log masking would take for a secret.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} is invalid: ${issue.message}`);
    throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    reviewerUrl: e.REVIEWER_URL,
    maxBodyBytes: e.LOOKOUT_MAX_BODY_BYTES,
    reviewerTimeoutMs: e.LOOKOUT_REVIEWER_TIMEOUT_MS,
    digestTimeoutMs: e.LOOKOUT_DIGEST_TIMEOUT_MS,
    ...(e.LOOKOUT_SEED_API_KEY ? { seedApiKey: e.LOOKOUT_SEED_API_KEY } : {}),
  };
}
