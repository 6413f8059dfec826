import type { Digest, StoredReview } from './schema.ts';

const TOP_FINDINGS = 10;

/**
 * A pure summary of the reviews `requestedBy` asked for, created in [sinceMs, untilMs). Reviews of
 * other principals are left out whatever the caller passes: a digest never shows one key another's data.
 */
export function buildDigest(reviews: readonly StoredReview[], sinceMs: number, untilMs: number, requestedBy: string): Digest {
  const inWindow = reviews.filter((r) => r.requestedBy === requestedBy && r.createdAt >= sinceMs && r.createdAt < untilMs);
  const byStatus: Record<string, number> = {};
  const byOutcome: Record<string, number> = {};
  const grouped = new Map<string, Digest['topFindings'][number]>();
  let findings = 0;
  for (const review of inWindow) {
    byStatus[review.status] = (byStatus[review.status] ?? 0) + 1;
    if (review.outcome) byOutcome[review.outcome] = (byOutcome[review.outcome] ?? 0) + 1;
    for (const finding of review.findings ?? []) {
      findings++;
      const key = `${finding.module}\u0000${finding.severity}\u0000${finding.message}`;
      const entry = grouped.get(key) ?? { module: finding.module, severity: finding.severity, message: finding.message, count: 0 };
      entry.count++;
      grouped.set(key, entry);
    }
  }
  const topFindings = [...grouped.values()]
    .sort((a, b) => b.count - a.count || a.module.localeCompare(b.module) || a.message.localeCompare(b.message))
    .slice(0, TOP_FINDINGS);
  const failures = inWindow.filter((r) => r.status === 'failed').map((r) => ({ id: r.id, error: r.error ?? 'unknown' }));
  return { sinceMs, untilMs, reviews: inWindow.length, byStatus, byOutcome, findings, topFindings, failures };
}
