import { describe, expect, it } from 'vitest';
import { newFileDiff } from '../diff-builders.test-support.ts';
import { runModuleOn } from './run-module.test-support.ts';
import { oversizedChangeModule } from './oversized-change.ts';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);

describe('oversized_change module', () => {
  it('stays quiet at or under the limits', async () => {
    expect(await runModuleOn(oversizedChangeModule, newFileDiff('a.ts', lines(300)) + newFileDiff('b.ts', lines(100)))).toEqual([]);
  });

  it('flags the whole change over the total limit (default 400)', async () => {
    const findings = await runModuleOn(oversizedChangeModule, newFileDiff('a.ts', lines(250)) + newFileDiff('b.ts', lines(151)));
    expect(findings).toEqual([
      { severity: 'warning', file: null, line: null, message: 'change touches 401 lines across 2 files (limit 400); consider splitting it' },
    ]);
  });

  it('flags a single file over the per-file limit (default 300)', async () => {
    const findings = await runModuleOn(oversizedChangeModule, newFileDiff('big.ts', lines(301)));
    expect(findings).toEqual([
      { severity: 'warning', file: 'big.ts', line: null, message: 'file changes 301 lines (limit 300); consider splitting it' },
    ]);
  });

  it('uses configured thresholds', async () => {
    const options = { modules: { oversized_change: { maxChangedLines: 5, maxChangedLinesPerFile: 3 } } };
    const findings = await runModuleOn(oversizedChangeModule, newFileDiff('a.ts', lines(4)) + newFileDiff('b.ts', lines(2)), options);
    expect(findings.map((f) => f.file)).toEqual([null, 'a.ts']);
  });
});
