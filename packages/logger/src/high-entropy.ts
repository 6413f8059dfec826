// The JS side of the high-entropy rule of secret-patterns.ts: the same candidate runs and keep shapes
// as the collector's regex steps, checked with a callback instead of a marker.
import { HIGH_ENTROPY_RULE, highEntropyCandidate, REDACTED } from './secret-patterns.ts';

// Each run is checked against the keep shapes, but only when a quick scan found a
// run long enough that mixes upper case, lower case and digits (most long runs are hex ids: no upper case).
const RUNS = new RegExp(highEntropyCandidate(), 'g');
const MIN_RUN = HIGH_ENTROPY_RULE.minLength;
const KEEP_SHAPES = HIGH_ENTROPY_RULE.keepWhenRunIs.map((keep) => new RegExp(`^(?:${keep.source})$`));
const maskRun = (match: string, before: string, run: string): string => (KEEP_SHAPES.some((shape) => shape.test(run)) ? match : before + REDACTED);

/**
 * One pass over char codes: is there a run of HIGH_ENTROPY_RULE.runChar ([A-Za-z0-9+/], checked by a
 * test) of MIN_RUN or more with an upper-case letter, a lower-case letter and a digit? A necessary
 * condition for the rule to mask anything, and far cheaper than a regex over every position.
 */
export function hasMixedRun(text: string): boolean {
  let length = 0;
  let classes = 0; // bit 1: upper, 2: lower, 4: digit
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    const bit = code >= 65 && code <= 90 ? 1 : code >= 97 && code <= 122 ? 2 : code >= 48 && code <= 57 ? 4 : code === 43 || code === 47 ? 8 : 0;
    if (bit !== 0) {
      length++;
      classes |= bit;
    } else {
      if (length >= MIN_RUN && (classes & 7) === 7) return true;
      length = 0;
      classes = 0;
    }
  }
  return false;
}

/** `text` with every run the high-entropy rule flags replaced by REDACTED; the same string when none. */
export function maskRandomRuns(text: string): string {
  return text.length >= MIN_RUN && hasMixedRun(text) ? text.replace(RUNS, maskRun) : text;
}
