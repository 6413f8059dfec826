import { describe, expect, it } from 'vitest';
import { findingSchema } from '@lookout/reviews';
import { parseReviewOptions } from '@lookout/review-pipeline';
import { InvalidJobError } from './processor.ts';
import { createReviewRunner } from './review-runner.ts';

describe('createReviewRunner', () => {
  it('stores whole-diff findings (file and line null in the pipeline) in the stored schema', async () => {
    const failing = { name: 'secrets', run: () => Promise.reject(new Error('boom')) };
    const review = createReviewRunner(parseReviewOptions({}), { modules: [failing] });
    const result = await review('--- a/a.ts\n+++ b/a.ts\n@@ -1 +1,2 @@\n a\n+b\n');
    expect(result.outcome).toBe('failure');
    expect(result.findings).toEqual([{ module: 'secrets', severity: 'error', file: null, line: null, message: 'module failed: Error' }]);
    for (const finding of result.findings) expect(findingSchema.safeParse(finding).success).toBe(true);
  });

  it('turns text that is not a diff into an unrecoverable job error', async () => {
    const review = createReviewRunner(parseReviewOptions({}));
    await expect(review('not a diff at all')).rejects.toBeInstanceOf(InvalidJobError);
  });
});
