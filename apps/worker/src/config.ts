import { z } from 'zod';

// An empty variable counts as unset, so `PORT= node main.ts` falls back to the default.
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const positiveInt = (fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().default(fallback));

const envSchema = z.object({
  REDIS_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .default('redis://127.0.0.1:6379'),
  ),
  PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(4102)),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  LOOKOUT_WORKER_CONCURRENCY: positiveInt(2),
  LOOKOUT_QUEUE_GAUGE_REFRESH_MS: positiveInt(5000),
});

export interface WorkerConfig {
  /** REDIS_URL, default redis://127.0.0.1:6379. Holds the queue and the review store. */
  redisUrl: string;
  /** PORT, default 4102: /health, /health/ready, /metrics. */
  port: number;
  /** HOST, default 127.0.0.1. */
  host: string;
  /** LOOKOUT_WORKER_CONCURRENCY, default 2: jobs processed at once. */
  concurrency: number;
  /** LOOKOUT_QUEUE_GAUGE_REFRESH_MS, default 5000: how stale the queue depth gauges may be. */
  gaugeRefreshMs: number;
}

/** Thrown for a bad environment; the message names the variable and never quotes its value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // The value is left out on purpose: REDIS_URL may carry a password.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    host: e.HOST,
    concurrency: e.LOOKOUT_WORKER_CONCURRENCY,
    gaugeRefreshMs: e.LOOKOUT_QUEUE_GAUGE_REFRESH_MS,
  };
}
