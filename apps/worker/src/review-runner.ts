// Adapts the reviewer pipeline (run in-process) to what the processor stores.
import { InvalidDiffError, runReview, type ReviewDeps, type ReviewOptions } from '@lookout/review-pipeline';
import { InvalidJobError, type ReviewResult } from './processor.ts';

export function createReviewRunner(options: ReviewOptions, deps?: ReviewDeps): (diff: string) => Promise<ReviewResult> {
  return async (diff) => {
    try {
      const result = await runReview(diff, options, deps);
      return { outcome: result.outcome, findings: [...result.findings] };
    } catch (error) {
      // Text that is not a diff stays that way: no retries. The message is fixed text, never the diff.
      if (error instanceof InvalidDiffError) throw new InvalidJobError(`invalid diff: ${error.message}`);
      throw error;
    }
  };
}
