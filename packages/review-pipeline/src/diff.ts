// Unified diff -> files with their added lines and new-file line numbers.
// Parsing is parse-diff's (hunk-header counting, so "+++"/"---" inside a hunk are content);
// this wrapper fixes what it leaves to callers: CRLF input, the "\ No newline at end of file"
// marker (which parse-diff repeats as a change of the previous type), and the +/- prefix.
import parseDiff from 'parse-diff';

export interface AddedLine {
  /** Line number in the new file (1-based). */
  readonly line: number;
  /** The line without its leading "+". */
  readonly content: string;
}

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed';

export interface DiffFile {
  /** Path in the new tree; for a deleted file, its old path. */
  readonly path: string;
  /** Path in the old tree; null for an added file. */
  readonly oldPath: string | null;
  readonly status: FileStatus;
  readonly added: readonly AddedLine[];
  readonly additions: number;
  readonly deletions: number;
}

const DEV_NULL = '/dev/null';
const NO_NEWLINE_MARKER = '\\';

function statusOf(file: parseDiff.File, from: string | null, to: string | null): FileStatus {
  if (file.new === true || from === null) return 'added';
  if (file.deleted === true || to === null) return 'deleted';
  return from !== to ? 'renamed' : 'modified';
}

const pathOrNull = (path: string | undefined): string | null => (path === undefined || path === DEV_NULL ? null : path);

/** The input is not a unified diff. Carries no input text: diffs may hold secrets. */
export class InvalidDiffError extends Error {
  override name = 'InvalidDiffError';
}

/**
 * Parses a unified diff (git or plain `diff -u`). Blank input gives no files; other input
 * without a single file header or hunk throws InvalidDiffError.
 */
export function parseUnifiedDiff(text: string): DiffFile[] {
  let files: parseDiff.File[];
  try {
    files = parseDiff(text.replace(/\r\n/g, '\n'));
  } catch {
    throw new InvalidDiffError('malformed unified diff');
  }
  if (files.length === 0 && text.trim() !== '') throw new InvalidDiffError('no file header or hunk found');
  return files.map((file) => {
    const from = pathOrNull(file.from);
    const to = pathOrNull(file.to);
    const added: AddedLine[] = [];
    for (const chunk of file.chunks) {
      for (const change of chunk.changes) {
        if (change.type !== 'add' || change.content.startsWith(NO_NEWLINE_MARKER)) continue;
        added.push({ line: change.ln, content: change.content.slice(1) });
      }
    }
    return {
      path: to ?? from ?? '(unknown)',
      oldPath: from,
      status: statusOf(file, from, to),
      added,
      additions: file.additions,
      deletions: file.deletions,
    };
  });
}
