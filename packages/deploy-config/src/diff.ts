// Differences between two normalised trees, as paths a person can read.
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

export function diffTrees(expected: Tree | undefined, deployed: Tree | undefined, path = ''): Change[] {
  if (expected === undefined && deployed === undefined) return [];
  if (expected === undefined) return [{ path, kind: 'unexpected', deployed }];
  if (deployed === undefined) return [{ path, kind: 'missing', expected }];
  // Alertmanager shows secrets it holds inline as <secret>: nothing to compare them with.
  if (deployed === '<secret>') return [];
  if (isMap(expected) && isMap(deployed)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(deployed)])].sort();
    return keys.flatMap((key) => diffTrees(expected[key], deployed[key], join(path, key)));
  }
  if (Array.isArray(expected) && Array.isArray(deployed)) {
    return Array.from({ length: Math.max(expected.length, deployed.length) }, (_, i) => diffTrees(expected[i], deployed[i], `${path}[${i}]`)).flat();
  }
  return JSON.stringify(expected) === JSON.stringify(deployed) ? [] : [{ path, kind: 'changed', expected, deployed }];
}
