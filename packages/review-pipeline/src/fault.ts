// A fault switch for end-to-end tests of the synthetic canary (apps/canary), never for production:
// LOOKOUT_REVIEW_FAULT=wrong-findings makes every review return no findings, so the canary's review
// probe must report wrong_result. Read once, when the process loads the pipeline, and only when
// set; any other value is ignored. The process logs a warning and each review span carries
// lookout.review.fault while it is on, so a switch left on by mistake is visible.
import { getLogger } from '@lookout/logger';

export type ReviewFault = 'wrong-findings';

function readFault(env: NodeJS.ProcessEnv): ReviewFault | undefined {
  if (env.LOOKOUT_REVIEW_FAULT === undefined) return undefined;
  if (env.LOOKOUT_REVIEW_FAULT !== 'wrong-findings') return undefined;
  getLogger('review-pipeline').warn({ fault: 'wrong-findings' }, 'LOOKOUT_REVIEW_FAULT is set: every review returns no findings (a test fault switch; unset it)');
  return 'wrong-findings';
}

export const REVIEW_FAULT: ReviewFault | undefined = readFault(process.env);
