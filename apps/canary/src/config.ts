import { z } from 'zod';
import { envVar, parseEnv } from '@lookout/service-kit';

const envSchema = z.object({
  REDIS_URL: envVar.redisUrl(),
  PORT: envVar.port(4103),
  HOST: envVar.host(),
  LOOKOUT_CANARY_MCP_URL: envVar.httpUrl('http://127.0.0.1:4100/mcp'),
  LOOKOUT_CANARY_INTERVAL_MS: envVar.positiveInt(30_000),
  LOOKOUT_CANARY_DEADLINE_MS: envVar.positiveInt(10_000),
  LOOKOUT_CANARY_JOB_DEADLINE_MS: envVar.positiveInt(20_000),
  LOOKOUT_CANARY_KEY_FILE: z.preprocess(envVar.unsetIfEmpty, z.string().default('.data/canary/api-key')),
});

export interface CanaryConfig {
  /** REDIS_URL, default redis://127.0.0.1:6390: where the canary's API key is created when missing. */
  redisUrl: string;
  /** PORT, default 4103: /health, /health/ready, /metrics. */
  port: number;
  /** HOST, default 127.0.0.1. */
  host: string;
  /** LOOKOUT_CANARY_MCP_URL, default http://127.0.0.1:4100/mcp. */
  mcpUrl: string;
  /** LOOKOUT_CANARY_INTERVAL_MS, default 30 000: time between rounds, jittered by ±20 %. */
  intervalMs: number;
  /** LOOKOUT_CANARY_DEADLINE_MS, default 10 000: the review and digest probes' deadline. */
  deadlineMs: number;
  /** LOOKOUT_CANARY_JOB_DEADLINE_MS, default 20 000: submit to completed, for the job probe. */
  jobDeadlineMs: number;
  /** LOOKOUT_CANARY_KEY_FILE, default .data/canary/api-key: the canary's own API key (mode 0600), created when missing. */
  keyFile: string;
}

export function loadCanaryConfig(env: NodeJS.ProcessEnv = process.env): CanaryConfig {
  const e = parseEnv(envSchema, env);
  return {
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    host: e.HOST,
    mcpUrl: e.LOOKOUT_CANARY_MCP_URL,
    intervalMs: e.LOOKOUT_CANARY_INTERVAL_MS,
    deadlineMs: e.LOOKOUT_CANARY_DEADLINE_MS,
    jobDeadlineMs: e.LOOKOUT_CANARY_JOB_DEADLINE_MS,
    keyFile: e.LOOKOUT_CANARY_KEY_FILE,
  };
}
