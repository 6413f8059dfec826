// Large changes get shallow reviews. Counts added plus deleted lines, for the whole diff and
// for each file, against options.modules.oversized_change (defaults 400 and 300).
import type { ModuleFinding, ReviewModule } from '../types.ts';

export const oversizedChangeModule: ReviewModule = {
  name: 'oversized_change',
  run({ files, options }) {
    const { maxChangedLines, maxChangedLinesPerFile } = options.modules.oversized_change;
    const findings: ModuleFinding[] = [];
    let total = 0;
    for (const file of files) {
      const changed = file.additions + file.deletions;
      total += changed;
      if (changed > maxChangedLinesPerFile) {
        findings.push({
          severity: 'warning',
          file: file.path,
          line: null,
          message: `file changes ${changed} lines (limit ${maxChangedLinesPerFile}); consider splitting it`,
        });
      }
    }
    if (total > maxChangedLines) {
      findings.unshift({
        severity: 'warning',
        file: null,
        line: null,
        message: `change touches ${total} lines across ${files.length} files (limit ${maxChangedLines}); consider splitting it`,
      });
    }
    return findings;
  },
};
