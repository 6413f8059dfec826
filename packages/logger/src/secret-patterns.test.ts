import { describe, expect, it } from 'vitest';
import { hasMixedRun } from './high-entropy.ts';
import { maskString } from './mask.ts';
import { HIGH_ENTROPY_RULE, highEntropyCandidate, highEntropyRegexSteps, REDACTED, ruleSteps, RUN_MARKER, SECRET_RULES } from './secret-patterns.ts';
import { SAFE_CORPUS, SECRET_CORPUS } from './testing/secret-corpus.ts';
import { generatedSafeTexts, generatedSecrets } from './testing/generated-corpus.ts';

// What the collector runs, executed here in JS: the named steps, then the high-entropy rule as
// plain regex replacements with a marker (no callback). The collector test runs the same on RE2.
const regexOnlySteps = [...ruleSteps(), ...highEntropyRegexSteps(HIGH_ENTROPY_RULE, RUN_MARKER)].map((step) => ({
  pattern: new RegExp(step.source, step.ignoreCase ? 'gi' : 'g'),
  replacement: step.replacement,
}));
const maskWithRegexOnly = (text: string) => regexOnlySteps.reduce((out, step) => out.replace(step.pattern, step.replacement), text);

/** Problems that keep a source out of the common subset of JS RegExp and Go RE2. */
function outsideCommonSubset(source: string): string[] {
  const problems: string[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9kpPuc]/.test(next)) problems.push(`\\${next} at ${i}`);
      i++;
    } else if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') {
      inClass = true;
      if (source[i + 1] === ']') problems.push(`empty class at ${i}`);
    } else if (char === '.') {
      problems.push(`unescaped . at ${i} (line terminators differ)`);
    } else if (char === '(' && source[i + 1] === '?' && /[=!<]/.test(source[i + 2] ?? '')) {
      problems.push(`look-around or named group at ${i}`);
    }
  }
  return problems;
}

describe('the one source of secret patterns', () => {
  it('has unique rule names', () => {
    const names = SECRET_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('writes every step in the common subset of JS RegExp and RE2 (no look-around, no back-references, no .)', () => {
    const steps = [...ruleSteps(), ...highEntropyRegexSteps(HIGH_ENTROPY_RULE, RUN_MARKER)];
    const problems = steps.flatMap((step) => outsideCommonSubset(step.source).map((problem) => `${step.rules.join('+')}: ${problem}`));
    expect(problems).toEqual([]);
    expect(outsideCommonSubset(String.raw`(?<=a)b\1.`)).toHaveLength(3); // the checker itself can fail
  });

  it('has at least one corpus sample for every rule (a rule without a sample fails here)', () => {
    const unsampled = SECRET_RULES.filter((rule) => {
      const pattern = new RegExp(rule.source, rule.ignoreCase ? 'gi' : 'g');
      return !SECRET_CORPUS.some((sample) => sample.text.replace(pattern, REDACTED) !== sample.text);
    }).map((rule) => rule.name);
    expect(unsampled).toEqual([]);
    const runs = new RegExp(highEntropyCandidate(), 'g');
    const byEntropy = SECRET_CORPUS.filter((sample) => maskWithRegexOnly(sample.text) !== sample.text && !SECRET_RULES.some((rule) => new RegExp(rule.source, rule.ignoreCase ? 'i' : '').test(sample.text)));
    expect(byEntropy.length, `${HIGH_ENTROPY_RULE.name} samples`).toBeGreaterThan(0);
    expect(byEntropy.every((sample) => sample.text.replace(runs, REDACTED) !== sample.text)).toBe(true);
  });

  it('masks the same way with the regex-only steps (what the collector runs) as with maskString', () => {
    const texts = [
      ...SECRET_CORPUS.map((sample) => sample.text),
      ...SAFE_CORPUS.map((sample) => sample.text),
      ...generatedSecrets(300).map((sample) => sample.text),
      ...generatedSafeTexts(300),
      SECRET_CORPUS.map((sample) => sample.text).join(' | '),
    ];
    const differing = texts.filter((text) => maskWithRegexOnly(text) !== maskString(text));
    expect(differing).toEqual([]);
  });
});

describe('high-entropy tokens (no prefix, no key name)', () => {
  it('masks at least 97% of random 32 to 64 character base64 and alphanumeric secrets, whole', () => {
    const samples = generatedSecrets(400);
    const leaked = samples.filter((sample) => maskString(sample.text).includes(sample.secret));
    expect(leaked.length).toBeLessThanOrEqual(12);
    for (const sample of samples.filter((s) => !leaked.includes(s))) expect(maskString(sample.text)).toBe(sample.text.replace(sample.secret, REDACTED));
  });

  it('leaves ids, digests, base64 of text, identifiers and paths untouched', () => {
    const mangled = generatedSafeTexts(600).filter((text) => maskString(text) !== text);
    expect(mangled).toEqual([]);
  });

  it('has a quick pre-scan that agrees with the rule (same characters, same minimum, needs all three classes)', () => {
    expect(HIGH_ENTROPY_RULE.runChar).toBe('[A-Za-z0-9+/]');
    expect(hasMixedRun('x'.repeat(40))).toBe(false);
    expect(hasMixedRun(`${'aB3'.repeat(10)}+/`)).toBe(true); // 32 characters
    expect(hasMixedRun(`${'aB3'.repeat(10)}+`)).toBe(false); // 31
    expect(hasMixedRun(`${'aB3'.repeat(6)}-${'aB3'.repeat(6)}`)).toBe(false);
    for (const sample of generatedSecrets(100)) if (maskString(sample.text) !== sample.text) expect(hasMixedRun(sample.text)).toBe(true);
  });

  it('counts - _ . as separators: the 32 characters must be one run', () => {
    expect(maskString('Ab3dEf7hIj-Kl9nOp2rSt_Uv4xYz6bCd.Ef8h')).toBe('Ab3dEf7hIj-Kl9nOp2rSt_Uv4xYz6bCd.Ef8h');
    expect(maskString('x=Ab3dEf7hIjKl9nOp2rStUv4xYz6bCdEf8h;')).toBe(`x=${REDACTED};`);
  });
});
