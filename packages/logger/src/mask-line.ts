// Masking of a serialized line, for the transport worker (and the logger's fallback when that worker
// is gone): the line is parsed, masked like a log call's arguments, and re-serialized only when
// something was masked.
import { maskSecrets, maskString } from './mask.ts';

export interface MaskedLine {
  /** The line to write (no trailing newline): the input itself when it was clean. */
  text: string;
  /** The masked fields; undefined when the line was not a JSON object (then `text` is masked as a string). */
  record: Record<string, unknown> | undefined;
}

export function maskLine(line: string): MaskedLine {
  const trimmed = line.endsWith('\n') ? line.slice(0, -1) : line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { text: maskString(trimmed), record: undefined };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { text: maskString(trimmed), record: undefined };
  const masked = maskSecrets(parsed as Record<string, unknown>);
  return { text: masked === parsed ? trimmed : JSON.stringify(masked), record: masked };
}
