import { describe, expect, it } from 'vitest';
import { hunkDiff, newFileDiff } from '../diff-builders.test-support.ts';
import { debugLeftoversModule } from './debug-leftovers.ts';
import { runModuleOn } from './run-module.test-support.ts';

describe('debug_leftovers module', () => {
  it('flags console.log, print( and debugger on the right lines', async () => {
    const diff = newFileDiff('app.js', ['const x = 1;', 'console.log("x", x);', '  debugger;', 'print(x)', 'console.debug (x)', 'if (x) { debugger }']);
    expect((await runModuleOn(debugLeftoversModule, diff)).map((f) => [f.line, f.message])).toEqual([
      [2, 'debug leftover: console.log'],
      [3, 'debug leftover: debugger'],
      [4, 'debug leftover: print('],
      [5, 'debug leftover: console.debug'],
      [6, 'debug leftover: debugger'],
    ]);
  });

  it('ignores look-alikes and removed lines', async () => {
    const diff = hunkDiff('app.py', 1, [
      '-print("old")',
      '+fingerprint(data)',
      '+document.print(page)',
      '+// attach a debugger to inspect',
      '+logger.info("console.logs are banned")',
      '+console.error("kept on purpose")',
    ]);
    expect(await runModuleOn(debugLeftoversModule, diff)).toEqual([]);
  });
});
