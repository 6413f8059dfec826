import { describe, expect, it } from 'vitest';
import { InvalidDiffError, parseUnifiedDiff } from './diff.ts';
import { hunkDiff, newFileDiff } from './diff-builders.test-support.ts';

const twoHunks = `diff --git a/src/app.ts b/src/app.ts
index 3b18e51..a9c2f4d 100644
--- a/src/app.ts
+++ b/src/app.ts
@@ -1,4 +1,5 @@
 import x from 'x';
-const a = 1;
+const a = 2;
+const b = 3;
 
 export { a };
@@ -20,3 +21,4 @@ function tail() {
   one();
+  two();
   three();
 }
`;

describe('parseUnifiedDiff', () => {
  it('gives added lines with their new-file line numbers across hunks', () => {
    const [file] = parseUnifiedDiff(twoHunks);
    expect(file).toMatchObject({ path: 'src/app.ts', oldPath: 'src/app.ts', status: 'modified', additions: 3, deletions: 1 });
    expect(file?.added).toEqual([
      { line: 2, content: 'const a = 2;' },
      { line: 3, content: 'const b = 3;' },
      { line: 22, content: '  two();' },
    ]);
  });

  it('reads new, deleted and renamed files', () => {
    const deleted = `diff --git a/old.txt b/old.txt
deleted file mode 100644
index 1111111..0000000
--- a/old.txt
+++ /dev/null
@@ -1,2 +0,0 @@
-one
-two
`;
    const renamed = `diff --git a/a.md b/b.md
similarity index 90%
rename from a.md
rename to b.md
index 1111111..2222222 100644
--- a/a.md
+++ b/b.md
@@ -1 +1 @@
-hello
+hello world
`;
    const files = parseUnifiedDiff(newFileDiff('new.ts', ['first', 'second']) + deleted + renamed);
    expect(files.map((f) => [f.path, f.oldPath, f.status])).toEqual([
      ['new.ts', null, 'added'],
      ['old.txt', 'old.txt', 'deleted'],
      ['b.md', 'a.md', 'renamed'],
    ]);
    expect(files[0]?.added).toEqual([{ line: 1, content: 'first' }, { line: 2, content: 'second' }]);
    expect(files[1]?.added).toEqual([]);
    expect(files[1]?.deletions).toBe(2);
    expect(files[2]?.added).toEqual([{ line: 1, content: 'hello world' }]);
  });

  it('does not report "\\ No newline at end of file" as an added line', () => {
    const diff = hunkDiff('a.txt', 1, ['-old', '+new', '\\ No newline at end of file']);
    expect(parseUnifiedDiff(diff)[0]?.added).toEqual([{ line: 1, content: 'new' }]);
  });

  it('treats "+++" and "---" inside a hunk as content, not headers', () => {
    const diff = hunkDiff('notes.md', 5, [' intro', '+++ bold claim', '--- not a header']);
    const [file] = parseUnifiedDiff(diff);
    expect(file?.added).toEqual([{ line: 6, content: '++ bold claim' }]);
    expect(file?.deletions).toBe(1);
  });

  it('accepts CRLF line endings', () => {
    const [file] = parseUnifiedDiff(newFileDiff('w.txt', ['a', 'b']).replace(/\n/g, '\r\n'));
    expect(file?.added).toEqual([{ line: 1, content: 'a' }, { line: 2, content: 'b' }]);
  });

  it('gives no files for blank input and throws InvalidDiffError for non-diff text', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
    expect(parseUnifiedDiff('  \n')).toEqual([]);
    expect(() => parseUnifiedDiff('just some text, password=hunter22')).toThrow(InvalidDiffError);
    try {
      parseUnifiedDiff('just some text, password=hunter22');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter22');
    }
  });
});
