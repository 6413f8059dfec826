import { describe, expect, it } from 'vitest';
import { lazyExporter } from './exporters.ts';

describe('lazyExporter', () => {
  it('loads the real exporter on the first export only', async () => {
    let loads = 0;
    const exported: number[][] = [];
    const lazy = lazyExporter(() => {
      loads++;
      return {
        export: (items: number[], done: (r: { code: number }) => void) => {
          exported.push(items);
          done({ code: 0 });
        },
        shutdown: () => Promise.resolve(),
      };
    });
    await lazy.forceFlush();
    await lazy.shutdown();
    expect(loads).toBe(0);
    const codes: number[] = [];
    lazy.export([1], (r) => codes.push(r.code));
    lazy.export([2, 3], (r) => codes.push(r.code));
    expect(loads).toBe(1);
    expect(exported).toEqual([[1], [2, 3]]);
    expect(codes).toEqual([0, 0]);
  });

  it('reports a failed export when the exporter package cannot load', () => {
    const lazy = lazyExporter<number[], never>(() => {
      throw new Error('Cannot find module');
    });
    const results: { code: number; error?: Error }[] = [];
    lazy.export([1], (r) => results.push(r));
    expect(results[0]?.code).toBe(1);
    expect(results[0]?.error?.message).toBe('Cannot find module');
  });
});
