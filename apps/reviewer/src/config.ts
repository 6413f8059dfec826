// The reviewer's environment, validated once at start: a bad value stops the service with a message
// that names the variable (and never quotes the value).
import { z } from 'zod';
import { ConfigError, envVar, parseEnv } from '@lookout/service-kit';
// The pipeline's own variables (LOOKOUT_REVIEWER_*) are read by @lookout/review-pipeline, which the worker shares.
import { loadPipelineOptions, type ReviewOptions } from '@lookout/review-pipeline';

export { ConfigError };

const serviceEnvSchema = z.object({
  PORT: envVar.port(4101),
  HOST: envVar.host(),
  LOOKOUT_MAX_BODY_BYTES: envVar.positiveInt(1024 * 1024),
});

export interface ReviewerConfig {
  /** PORT, default 4101. */
  port: number;
  /** HOST, default 127.0.0.1. */
  host: string;
  /** LOOKOUT_MAX_BODY_BYTES, default 1 MiB: larger POST /review bodies get 413. */
  maxBodyBytes: number;
  /** The pipeline's options from LOOKOUT_REVIEWER_* (loadPipelineOptions in @lookout/review-pipeline). */
  review: ReviewOptions;
}

export function loadReviewerConfig(env: NodeJS.ProcessEnv = process.env): ReviewerConfig {
  const e = parseEnv(serviceEnvSchema, env);
  return { port: e.PORT, host: e.HOST, maxBodyBytes: e.LOOKOUT_MAX_BODY_BYTES, review: loadPipelineOptions(env) };
}
