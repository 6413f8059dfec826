// TODO/FIXME/XXX/HACK markers in added lines. Upper case and whole words only, so prose like
// "todo list" or "hackathon" isn't flagged. TODO is informational; the others mark known defects.
import { maskString } from '@lookout/logger';
import type { ModuleFinding, ReviewModule, Severity } from '../types.ts';

const MAX_NOTE_LENGTH = 80;
const SEVERITY: Record<string, Severity> = { TODO: 'info', FIXME: 'warning', XXX: 'warning', HACK: 'warning' };

function note(content: string, markerEnd: number): string {
  // The text after the marker says what is left to do; masked in case it quotes a credential.
  const rest = content
    .slice(markerEnd)
    .replace(/^\s*(?:\([^)]*\))?\s*[:-]?\s*/, '') // "(alice): " or ": " after the marker
    .replace(/\s*(?:\*\/|-->)\s*$/, ''); // comment closers
  const text = maskString(rest.trim());
  return text.length > MAX_NOTE_LENGTH ? `${text.slice(0, MAX_NOTE_LENGTH - 1)}…` : text;
}

export const todosModule: ReviewModule = {
  name: 'todos',
  run({ files, options }) {
    const markers = options.modules.todos.markers;
    const pattern = new RegExp(`\\b(${markers.join('|')})\\b`);
    const findings: ModuleFinding[] = [];
    for (const file of files) {
      for (const { line, content } of file.added) {
        const match = pattern.exec(content);
        if (!match) continue;
        const marker = match[1]!;
        const text = note(content, match.index + marker.length);
        findings.push({
          severity: SEVERITY[marker] ?? 'info',
          file: file.path,
          line,
          message: text ? `${marker} added: ${text}` : `${marker} added`,
        });
      }
    }
    return findings;
  },
};
