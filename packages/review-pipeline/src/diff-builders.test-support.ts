// Builders for unified diffs in tests.

/** A git diff adding a new file whose lines are numbered from 1. */
export function newFileDiff(path: string, lines: readonly string[]): string {
  return [
    `diff --git a/${path} b/${path}`,
    'new file mode 100644',
    'index 0000000..1111111',
    '--- /dev/null',
    `+++ b/${path}`,
    `@@ -0,0 +1,${lines.length} @@`,
    ...lines.map((line) => `+${line}`),
    '',
  ].join('\n');
}

/** A git diff modifying a file: one hunk starting at `newStart`, context lines prefixed " ". */
export function hunkDiff(path: string, newStart: number, body: readonly string[]): string {
  const oldLines = body.filter((l) => !l.startsWith('+')).length;
  const newLines = body.filter((l) => !l.startsWith('-')).length;
  return [
    `diff --git a/${path} b/${path}`,
    'index 1111111..2222222 100644',
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -${newStart},${oldLines} +${newStart},${newLines} @@`,
    ...body,
    '',
  ].join('\n');
}
