// The environment is read once at start, through zod: a bad value stops the service with a
// message that names the variable and never quotes the value (REDIS_URL may hold a password).
import { z } from 'zod';

/** Thrown for a bad environment; the message names each bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// An empty variable counts as unset, so `PORT= node main.ts` falls back to the default.
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * Where every Lookout process finds Redis unless REDIS_URL says otherwise: the port `npm start` and
 * compose run it on (6390, off a system Redis on 6379), so the services and the `lookout` CLI reach
 * the running stack with no flags.
 */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6390';

/** Building blocks for service env schemas; each treats an empty value as unset. */
export const envVar = {
  port: (fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(fallback)),
  host: () => z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  positiveInt: (fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().default(fallback)),
  optionalPositiveInt: () => z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().optional()),
  redisUrl: () =>
    z.preprocess(unsetIfEmpty, z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').default(DEFAULT_REDIS_URL)),
  httpUrl: (fallback: string) =>
    z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .regex(/^https?:\/\/[^/]/, 'must be an http:// or https:// URL')
        .default(fallback)
        .transform((url) => url.replace(/\/+$/, '')),
    ),
  unsetIfEmpty,
};

export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.output<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  // "NAME is invalid: ..." rather than "NAME: ...", which log masking would take for a secret.
  const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} is invalid: ${issue.message}`);
  throw new ConfigError(`invalid environment: ${[...new Set(problems)].join('; ')}`);
}
