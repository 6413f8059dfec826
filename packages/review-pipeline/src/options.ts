// Reviewer options: every field optional, every default documented here.
import { z } from 'zod';

const enabled = z.boolean().default(true);

export const TODO_MARKERS = ['TODO', 'FIXME', 'XXX', 'HACK'] as const;

export const reviewOptionsSchema = z
  .object({
    modules: z
      .object({
        /** Added lines that look like credentials (patterns of @lookout/logger's maskString). */
        secrets: z.object({ enabled }).strict().prefault({}),
        /** TODO/FIXME/XXX/HACK markers in added lines. Default: all four. */
        todos: z
          .object({ enabled, markers: z.array(z.enum(TODO_MARKERS)).min(1).default([...TODO_MARKERS]) })
          .strict()
          .prefault({}),
        /** Changes too large to review well. Defaults: 400 changed lines in total, 300 in one file. */
        oversized_change: z
          .object({
            enabled,
            maxChangedLines: z.number().int().positive().default(400),
            maxChangedLinesPerFile: z.number().int().positive().default(300),
          })
          .strict()
          .prefault({}),
        /** console.log / console.debug, print(, debugger in added lines. */
        debug_leftovers: z.object({ enabled }).strict().prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** Options as callers write them (all optional). */
export type ReviewOptionsInput = z.input<typeof reviewOptionsSchema>;
/** Options with every default filled in. */
export type ReviewOptions = z.output<typeof reviewOptionsSchema>;

/** Validates and fills defaults; throws a ZodError on unknown keys or bad values. */
export function parseReviewOptions(input: unknown = {}): ReviewOptions {
  return reviewOptionsSchema.parse(input ?? {});
}
