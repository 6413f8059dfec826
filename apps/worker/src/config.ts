import { z } from 'zod';
import { ConfigError, envVar, parseEnv } from '@lookout/service-kit';
import { parseDuration } from '@lookout/slo-report';
import type { SloReportSchedule } from './slo-reports.ts';

export { ConfigError };

const duration = (fallback: string) =>
  z.preprocess(envVar.unsetIfEmpty, z.string().default(fallback).transform((value, ctx) => parseDuration(value) ?? (ctx.addIssue({ code: 'custom', message: 'must be a duration such as 30s, 5m, 1h or 1d' }), z.NEVER)));

const envSchema = z.object({
  REDIS_URL: envVar.redisUrl(),
  PORT: envVar.port(4102),
  HOST: envVar.host(),
  LOOKOUT_WORKER_CONCURRENCY: envVar.positiveInt(2),
  LOOKOUT_QUEUE_GAUGE_REFRESH_MS: envVar.positiveInt(5000),
  LOOKOUT_PROMETHEUS_URL: envVar.httpUrl('http://127.0.0.1:9090'),
  LOOKOUT_SLO_REPORT_CRON: z.preprocess(envVar.unsetIfEmpty, z.string().regex(/^\S+( \S+){4,5}$/, 'must be a cron pattern (5 or 6 fields)').default('0 10 0 * * *')),
  LOOKOUT_SLO_REPORT_PERIOD: duration('1d'),
  LOOKOUT_SLO_REPORT_STEP: duration('1h'),
  LOOKOUT_SLO_REPORT_DIR: z.preprocess(envVar.unsetIfEmpty, z.string().default('.data/reports')),
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
  /**
   * The scheduled SLO report: LOOKOUT_SLO_REPORT_CRON (default '0 10 0 * * *', 00:10 UTC daily),
   * LOOKOUT_SLO_REPORT_PERIOD (1d: the previous UTC day), LOOKOUT_SLO_REPORT_STEP (1h),
   * LOOKOUT_SLO_REPORT_DIR (.data/reports, relative to the working directory), LOOKOUT_PROMETHEUS_URL.
   */
  sloReports: SloReportSchedule;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const e = parseEnv(envSchema, env);
  return {
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    host: e.HOST,
    concurrency: e.LOOKOUT_WORKER_CONCURRENCY,
    gaugeRefreshMs: e.LOOKOUT_QUEUE_GAUGE_REFRESH_MS,
    sloReports: {
      cron: e.LOOKOUT_SLO_REPORT_CRON,
      periodSeconds: e.LOOKOUT_SLO_REPORT_PERIOD,
      stepSeconds: e.LOOKOUT_SLO_REPORT_STEP,
      dir: e.LOOKOUT_SLO_REPORT_DIR,
      prometheusUrl: e.LOOKOUT_PROMETHEUS_URL,
    },
  };
}
