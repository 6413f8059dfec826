import { describe, expect, it } from 'vitest';
import { buildDigest } from './digest.ts';
import type { StoredReview } from './schema.ts';

const review = (id: string, createdAt: number, extra: Partial<StoredReview> = {}): StoredReview => ({
  id, createdAt, status: 'completed', source: 'job', requestedBy: 'key1', outcome: 'success', findings: [], ...extra,
});
const todo = { module: 'todo', severity: 'info', file: 'a.ts', line: 1, message: 'TODO left in code' } as const;
const secret = { module: 'secrets', severity: 'error', file: 'b.ts', line: 2, message: 'possible secret' } as const;

describe('buildDigest', () => {
  it('counts only reviews created inside the window, end exclusive', () => {
    const digest = buildDigest([review('a', 99), review('b', 100), review('c', 199), review('d', 200)], 100, 200, 'key1');
    expect(digest.reviews).toBe(2);
    expect(digest.byStatus).toEqual({ completed: 2 });
  });

  it('ranks findings by frequency and lists failures', () => {
    const digest = buildDigest(
      [
        review('a', 1, { findings: [todo, secret, todo] }),
        review('b', 2, { findings: [todo], outcome: 'partial' }),
        review('c', 3, { status: 'failed', outcome: undefined, findings: undefined, error: 'worker crashed' }),
      ],
      0,
      10,
      'key1',
    );
    expect(digest.findings).toBe(4);
    expect(digest.topFindings[0]).toMatchObject({ module: 'todo', count: 3 });
    expect(digest.topFindings[1]).toMatchObject({ module: 'secrets', count: 1 });
    expect(digest.byOutcome).toEqual({ success: 1, partial: 1 });
    expect(digest.failures).toEqual([{ id: 'c', error: 'worker crashed' }]);
  });

  it("leaves out every review of another principal: their counts, findings and failures", () => {
    const digest = buildDigest(
      [review('mine', 1, { findings: [todo] }), review('theirs', 2, { requestedBy: 'key2', status: 'failed', findings: [secret], error: 'their failure' })],
      0,
      10,
      'key1',
    );
    expect(digest).toMatchObject({ reviews: 1, findings: 1, failures: [] });
    expect(JSON.stringify(digest)).not.toMatch(/theirs|their failure|possible secret/);
  });
});
