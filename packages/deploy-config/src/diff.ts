// Differences between two normalised trees, as paths a person can read.
import { isSecretKey, maskSecrets, REDACTED } from '@lookout/logger';
import type { Tree } from './normalise.ts';

export interface Change {
  /** Where, e.g. `static_configs[0].targets[1]` or `routes[1].receiver`. */
  path: string;
  /** missing: in the repository, not deployed; unexpected: deployed, not in the repository; changed: both, different. */
  kind: 'missing' | 'unexpected' | 'changed';
  expected?: Tree;
  deployed?: Tree;
}

const isMap = (value: Tree | undefined): value is Record<string, Tree> => value !== null && typeof value === 'object' && !Array.isArray(value);
const join = (path: string, key: string) => (/^[A-Za-z_][\w-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);

function diffAll(expected: Tree | undefined, deployed: Tree | undefined, path = ''): Change[] {
  if (expected === undefined && deployed === undefined) return [];
  if (expected === undefined) return [{ path, kind: 'unexpected', deployed }];
  if (deployed === undefined) return [{ path, kind: 'missing', expected }];
  // Alertmanager shows secrets it holds inline as <secret>: nothing to compare them with.
  if (deployed === '<secret>') return [];
  if (isMap(expected) && isMap(deployed)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(deployed)])].sort();
    return keys.flatMap((key) => diffAll(expected[key], deployed[key], join(path, key)));
  }
  if (Array.isArray(expected) && Array.isArray(deployed)) {
    return Array.from({ length: Math.max(expected.length, deployed.length) }, (_, i) => diffAll(expected[i], deployed[i], `${path}[${i}]`)).flat();
  }
  return JSON.stringify(expected) === JSON.stringify(deployed) ? [] : [{ path, kind: 'changed', expected, deployed }];
}

/**
 * A change as it may be printed, logged or exported: a value under a secret-named key (password,
 * token, …) is replaced, and secret-shaped text anywhere is masked with the logger's patterns (the
 * one source of them). Configs should hold no secret (files, `*_file`), but a hand edit might.
 */
function masked(change: Change): Change {
  const key = change.path.split(/[.[\]"]+/).filter(Boolean).at(-1) ?? '';
  if (!isSecretKey(key)) return maskSecrets(change);
  return { ...change, ...(change.expected !== undefined ? { expected: REDACTED } : {}), ...(change.deployed !== undefined ? { deployed: REDACTED } : {}) };
}

/** The differences between two normalised trees, secrets masked. */
export function diffTrees(expected: Tree | undefined, deployed: Tree | undefined, path = ''): Change[] {
  return diffAll(expected, deployed, path).map(masked);
}
