import { afterEach, describe, expect, it, vi } from 'vitest';

const DIFF = ['diff --git a/a.ts b/a.ts', '--- a/a.ts', '+++ b/a.ts', '@@ -1,1 +1,2 @@', ' x', '+// TODO: y', ''].join('\n');

async function findingsWith(fault: string | undefined) {
  vi.resetModules();
  if (fault === undefined) delete process.env.LOOKOUT_REVIEW_FAULT;
  else process.env.LOOKOUT_REVIEW_FAULT = fault;
  const { runReview } = await import('./run-review.ts');
  return (await runReview(DIFF)).findings;
}

describe('LOOKOUT_REVIEW_FAULT (a test fault switch)', () => {
  afterEach(() => {
    delete process.env.LOOKOUT_REVIEW_FAULT;
    vi.resetModules();
  });

  it('returns no findings when set to wrong-findings, and the real ones otherwise', async () => {
    expect(await findingsWith(undefined)).toHaveLength(1);
    expect(await findingsWith('wrong-findings')).toEqual([]);
    expect(await findingsWith('anything-else')).toHaveLength(1);
  });
});
