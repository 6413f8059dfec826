import { z } from 'zod';
import { ConfigError, envVar, parseEnv } from '@lookout/service-kit';

export { ConfigError };

const envSchema = z.object({
  REDIS_URL: envVar.redisUrl(),
  PORT: envVar.port(4102),
  HOST: envVar.host(),
  LOOKOUT_WORKER_CONCURRENCY: envVar.positiveInt(2),
  LOOKOUT_QUEUE_GAUGE_REFRESH_MS: envVar.positiveInt(5000),
});

export interface WorkerConfig {
  /** REDIS_URL, default redis://127.0.0.1:6390 (DEFAULT_REDIS_URL, the stack's). Holds the queue and the review store. */
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

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const e = parseEnv(envSchema, env);
  return {
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    host: e.HOST,
    concurrency: e.LOOKOUT_WORKER_CONCURRENCY,
    gaugeRefreshMs: e.LOOKOUT_QUEUE_GAUGE_REFRESH_MS,
  };
}
