// Debugging statements left in added lines: console.log/console.debug, Python's print(, and
// JavaScript's debugger statement. Method calls like `doc.print(` and words like "fingerprint("
// or "attach a debugger" are not matched.
import type { ModuleFinding, ReviewModule } from '../types.ts';

// Group 1, when present, names what was found.
const RULES: readonly RegExp[] = [
  /\b(console\.(?:log|debug))\s*\(/,
  /(?<![\w.$])(print\()/,
  /(?:^|[;{}])\s*(debugger)\s*(?:[;}]|$|\/\/)/,
];

function findLeftover(content: string): string | undefined {
  for (const rule of RULES) {
    const match = rule.exec(content);
    if (match) return match[1];
  }
  return undefined;
}

export const debugLeftoversModule: ReviewModule = {
  name: 'debug_leftovers',
  run({ files }) {
    const findings: ModuleFinding[] = [];
    for (const file of files) {
      for (const { line, content } of file.added) {
        const what = findLeftover(content);
        if (what === undefined) continue;
        findings.push({ severity: 'warning', file: file.path, line, message: `debug leftover: ${what}` });
      }
    }
    return findings;
  },
};
