// The Prometheus rule files as data: what the checks and the promtool test generator read.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RULES_DIR } from './paths.ts';
import type { Rule, RuleFile } from './sloth.ts';

export interface LoadedRule extends Rule {
  file: string;
  group: string;
}

export function ruleFileNames(dir: string = RULES_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
}

export function loadRules(dir: string = RULES_DIR): LoadedRule[] {
  return ruleFileNames(dir).flatMap((file) => {
    const doc = parse(readFileSync(join(dir, file), 'utf8'), { merge: true }) as RuleFile;
    return doc.groups.flatMap((group) => group.rules.map((rule) => ({ ...rule, file, group: group.name })));
  });
}

/** Every alert name, once. */
export function alertNames(rules: readonly LoadedRule[]): string[] {
  return [...new Set(rules.flatMap((r) => (r.alert ? [r.alert] : [])))].sort();
}

/** Every recording rule name defined here (what an expression may read besides real metrics). */
export function recordedNames(rules: readonly LoadedRule[]): Set<string> {
  return new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
}
