import { z } from 'zod';
import { parseToken } from '@lookout/apikeys';
import { ConfigError, envVar, parseEnv } from '@lookout/service-kit';

export { ConfigError };

const envSchema = z.object({
  PORT: envVar.port(4100),
  HOST: envVar.host(),
  REDIS_URL: envVar.redisUrl(),
  REVIEWER_URL: envVar.httpUrl('http://127.0.0.1:4101'),
  LOOKOUT_MAX_BODY_BYTES: envVar.positiveInt(1024 * 1024),
  LOOKOUT_REVIEWER_TIMEOUT_MS: envVar.positiveInt(30_000),
  LOOKOUT_DIGEST_TIMEOUT_MS: envVar.positiveInt(30_000),
  LOOKOUT_SEED_API_KEY: z.preprocess(
    envVar.unsetIfEmpty,
    z
      .string()
      .refine((token) => parseToken(token) !== undefined, 'must look like lk_<16 hex>_<43 base64url> (e.g. one printed by `lookout apikey create`)')
      .optional(),
  ),
});

export interface McpServerConfig {
  /** PORT, default 4100. */
  port: number;
  /** HOST, default 127.0.0.1. */
  host: string;
  /** REDIS_URL, default redis://127.0.0.1:6390 (DEFAULT_REDIS_URL, the stack's): API keys, the review store and the job queue. */
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): McpServerConfig {
  const e = parseEnv(envSchema, env);
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
