// maskString caches short clean strings. A substring in V8 is a view on its parent string, so caching
// the substring itself kept the whole parent alive: a line of each reviewed diff held the diff.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { maskString } from './mask.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const liveHeap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe('maskString clean-string cache', () => {
  it('keeps no large string alive through a short piece of it', () => {
    const before = liveHeap();
    const parents = 64;
    const parentBytes = 1024 * 1024;
    for (let i = 0; i < parents; i++) {
      // A distinct 1 MiB string each time, and a short clean line cut out of it (what parse-diff does).
      const parent = `line ${i} of a large diff, nothing secret here\n`.repeat(parentBytes / 48);
      expect(maskString(parent.slice(5, 80))).toBe(parent.slice(5, 80));
    }
    // Before the fix the cache held all 64 MiB; each cached copy is at most 200 chars.
    expect(liveHeap() - before).toBeLessThan(8 * 1024 * 1024);
  });
});
