import { describe, expect, it } from 'vitest';
import { hunkDiff, newFileDiff } from '../diff-builders.test-support.ts';
import { runModuleOn } from './run-module.test-support.ts';
import { todosModule } from './todos.ts';

describe('todos module', () => {
  it('reports each marker with its line, severity and note', async () => {
    const diff = newFileDiff('src/a.ts', [
      'const a = 1; // TODO(alice): handle retries',
      'clean();',
      '/* FIXME: off by one */',
      '# XXX - remove before release',
      '// HACK until the API is fixed',
    ]);
    expect(await runModuleOn(todosModule, diff)).toEqual([
      { severity: 'info', file: 'src/a.ts', line: 1, message: 'TODO added: handle retries' },
      { severity: 'warning', file: 'src/a.ts', line: 3, message: 'FIXME added: off by one' },
      { severity: 'warning', file: 'src/a.ts', line: 4, message: 'XXX added: remove before release' },
      { severity: 'warning', file: 'src/a.ts', line: 5, message: 'HACK added: until the API is fixed' },
    ]);
  });

  it('ignores prose, lower case, substrings, and markers on removed lines', async () => {
    const diff = hunkDiff('notes.md', 3, ['-TODO: old item', '+the todo list app', '+TODOS are tracked elsewhere', '+hackathon XXXL']);
    expect(await runModuleOn(todosModule, diff)).toEqual([]);
  });

  it('only looks for the configured markers', async () => {
    const diff = newFileDiff('x.ts', ['// TODO later', '// FIXME now']);
    const findings = await runModuleOn(todosModule, diff, { modules: { todos: { markers: ['FIXME'] } } });
    expect(findings.map((f) => f.line)).toEqual([2]);
  });

  it('masks a credential quoted in the note', async () => {
    const [finding] = await runModuleOn(todosModule, newFileDiff('x.ts', ['// TODO rotate password=hunter2hunter2']));
    expect(finding?.message).not.toContain('hunter2');
    expect(finding?.message).toContain('[REDACTED]');
  });
});
