// Order statistics over samples; benchmarks report medians and tails, never means of skewed data.
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

/** "min–max of n" of ratios: how far apart the rounds were, next to their median. */
export function spread(samples: readonly number[]): string {
  if (samples.length === 0) return 'no samples';
  return `${formatRatio(Math.min(...samples))}–${formatRatio(Math.max(...samples))} over ${samples.length}`;
}
