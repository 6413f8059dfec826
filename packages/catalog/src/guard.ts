// Run-time attribute enforcement. The types already reject undeclared labels and values; this
// guard protects against what the types can't see (values computed at run time, `as` casts,
// JavaScript callers).
//
// Rules, per measurement:
//   - an undeclared label key is stripped;
//   - an undeclared value (or a missing required label) becomes the label's fallback when it
//     has one ('other' when declared, or an explicit `fallback`), otherwise the whole
//     measurement is dropped;
//   - each distinct metric/label/problem is warned about once through OTel's diag logger
//     (never with the offending value, which may be sensitive); `onViolation` sees every one.
// Hot path: a valid measurement costs one `for...in` with a Set lookup per label and returns
// the caller's object unchanged (no allocation). Only invalid input builds a new object.
import { diag, type Attributes } from '@opentelemetry/api';
import type { AttributeViolation, MetricSpec } from './types.ts';

/** Returned instead of attributes when the measurement must not be recorded. */
export const DROP = null;

export type Guard = (attributes: Attributes | undefined) => Attributes | undefined | typeof DROP;

export type ViolationSink = (violation: AttributeViolation) => void;

interface CompiledLabel {
  readonly allowed: ReadonlySet<string>;
  readonly required: boolean;
  readonly fallback: string | undefined;
}

function fallbackOf(values: readonly string[], fallback: string | undefined): string | undefined {
  if (fallback !== undefined) return fallback;
  return values.includes('other') ? 'other' : undefined;
}

/** Builds the guard for one metric. `warned` is shared by one instrument set so each problem warns once. */
export function compileGuard(spec: MetricSpec, warned: Set<string>, onViolation?: ViolationSink): Guard {
  const table: Record<string, CompiledLabel> = Object.create(null);
  const declared = Object.keys(spec.labels);
  let requiredCount = 0;
  for (const key of declared) {
    const label = spec.labels[key]!;
    const required = label.optional !== true;
    if (required) requiredCount++;
    table[key] = { allowed: new Set(label.values), required, fallback: fallbackOf(label.values, label.fallback) };
  }

  const report = (label: string, problem: AttributeViolation['problem'], action: AttributeViolation['action']): void => {
    const id = `${spec.name}\u0000${label}\u0000${problem}`;
    const first = !warned.has(id);
    if (first) {
      warned.add(id);
      diag.warn(`@lookout/catalog: ${spec.name}: ${problem} for label "${label}"; measurement ${action} (further occurrences not logged)`);
    }
    onViolation?.({ metric: spec.name, label, problem, action, first });
  };

  const repair = (attributes: Attributes | undefined): Attributes | typeof DROP => {
    const repaired: Record<string, string> = {};
    for (const key of declared) {
      const label = table[key]!;
      const raw = attributes?.[key];
      if (raw === undefined || raw === null) {
        if (!label.required) continue;
        if (label.fallback === undefined) {
          report(key, 'missing_label', 'dropped');
          return DROP;
        }
        report(key, 'missing_label', 'replaced');
        repaired[key] = label.fallback;
        continue;
      }
      // Numbers and booleans are compared by their string form ("-32601" and -32601 are one value).
      const value = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
      if (value !== undefined && label.allowed.has(value)) {
        repaired[key] = value;
      } else if (label.fallback !== undefined) {
        report(key, 'undeclared_value', 'replaced');
        repaired[key] = label.fallback;
      } else {
        report(key, 'undeclared_value', 'dropped');
        return DROP;
      }
    }
    if (attributes) for (const key in attributes) if (table[key] === undefined) report(key, 'unknown_label', 'stripped');
    return repaired;
  };

  return (attributes) => {
    if (attributes === undefined) return requiredCount === 0 ? undefined : repair(undefined);
    let requiredSeen = 0;
    for (const key in attributes) {
      const label = table[key];
      if (label === undefined) return repair(attributes);
      const value = attributes[key];
      // An explicit `undefined` is rewritten without the key so it can't split a series.
      if (typeof value !== 'string' || !label.allowed.has(value)) return repair(attributes);
      if (label.required) requiredSeen++;
    }
    return requiredSeen === requiredCount ? attributes : repair(attributes);
  };
}
