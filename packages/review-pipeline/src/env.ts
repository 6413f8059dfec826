// The pipeline's options from the environment (LOOKOUT_REVIEWER_*), shared by every service that
// runs it (the reviewer over HTTP, the worker in-process): a bad value throws ConfigError naming the
// variable, never quoting the value.
import { z } from 'zod';
import { REVIEW_MODULES } from '@lookout/catalog';
import { ConfigError, envVar, parseEnv } from '@lookout/service-kit';
import { parseReviewOptions, type ReviewOptions } from './options.ts';

export { ConfigError };

const moduleList = z.preprocess(
  envVar.unsetIfEmpty,
  z
    .string()
    .transform((list) => list.split(',').map((name) => name.trim()).filter((name) => name !== ''))
    .pipe(
      z
        .array(z.enum(REVIEW_MODULES, { error: `unknown module; known: ${REVIEW_MODULES.join(', ')}` }))
        .min(1, 'name at least one module'),
    )
    .optional(),
);

const pipelineEnvSchema = z.object({
  LOOKOUT_REVIEWER_MODULES: moduleList,
  LOOKOUT_REVIEWER_MAX_CHANGED_LINES: envVar.optionalPositiveInt(),
  LOOKOUT_REVIEWER_MAX_CHANGED_LINES_PER_FILE: envVar.optionalPositiveInt(),
});

/**
 * The review pipeline's options from the environment:
 * - LOOKOUT_REVIEWER_MODULES: comma-separated modules to run (default: all of the catalog's REVIEW_MODULES);
 * - LOOKOUT_REVIEWER_MAX_CHANGED_LINES: oversized_change's limit for the whole diff (default 400);
 * - LOOKOUT_REVIEWER_MAX_CHANGED_LINES_PER_FILE: its limit for one file (default 300).
 */
export function loadPipelineOptions(env: NodeJS.ProcessEnv = process.env): ReviewOptions {
  const e = parseEnv(pipelineEnvSchema, env);
  const enabled = new Set<string>(e.LOOKOUT_REVIEWER_MODULES ?? REVIEW_MODULES);
  const oversized: { enabled: boolean; maxChangedLines?: number; maxChangedLinesPerFile?: number } = { enabled: enabled.has('oversized_change') };
  if (e.LOOKOUT_REVIEWER_MAX_CHANGED_LINES !== undefined) oversized.maxChangedLines = e.LOOKOUT_REVIEWER_MAX_CHANGED_LINES;
  if (e.LOOKOUT_REVIEWER_MAX_CHANGED_LINES_PER_FILE !== undefined) oversized.maxChangedLinesPerFile = e.LOOKOUT_REVIEWER_MAX_CHANGED_LINES_PER_FILE;
  return parseReviewOptions({
    modules: {
      secrets: { enabled: enabled.has('secrets') },
      todos: { enabled: enabled.has('todos') },
      oversized_change: oversized,
      debug_leftovers: { enabled: enabled.has('debug_leftovers') },
    },
  });
}
