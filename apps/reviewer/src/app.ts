// The reviewer's HTTP face: POST /review runs the pipeline; service-kit serves the rest.
import express, { type Express } from 'express';
import { z } from 'zod';
import { createServiceApp, finishServiceApp, HttpError, requireJson } from '@lookout/service-kit';
import { InvalidDiffError, runReview, type ReviewDeps, type ReviewOptions } from '@lookout/review-pipeline';

export interface ReviewerAppOptions {
  /** Pipeline options, usually from loadPipelineOptions(). */
  review: ReviewOptions;
  /** Largest accepted JSON body in bytes; default 1 MiB. */
  maxBodyBytes?: number;
  /** Pipeline dependencies (instruments, tracer, modules); defaults are the pipeline's own. */
  deps?: ReviewDeps;
}

const reviewRequestSchema = z.object({
  diff: z.string({ error: (issue) => (issue.input === undefined ? 'diff is required' : 'diff must be a string') }),
});

/** The body's problems in one line, by field; zod's messages never quote the input. */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? issue.message : `body: ${issue.message}`)).join('; ');
}

/** An express app serving POST /review, /health, /health/ready and /metrics; listen() it. */
export function createReviewerApp({ review, maxBodyBytes = 1024 * 1024, deps }: ReviewerAppOptions): Express {
  const app = createServiceApp({ name: 'reviewer' });
  app.post('/review', requireJson, express.json({ limit: maxBodyBytes }), async (req, res) => {
    const body = reviewRequestSchema.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'invalid_request', describeIssues(body.error));
    try {
      const { findings, outcome, modules, durationSeconds } = await runReview(body.data.diff, review, deps);
      res.json({ findings, outcome, modules, durationSeconds });
    } catch (error) {
      // Its message is fixed text (never the diff), so the client may see it.
      if (error instanceof InvalidDiffError) throw new HttpError(400, 'invalid_diff', `diff is not a unified diff: ${error.message}`);
      throw error;
    }
  });
  return finishServiceApp(app);
}
