import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of an executable on PATH, or undefined. */
export function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * The rule for real parts: locally a missing one lets a test skip and say why;
 * under CI it is a failure that names the part and how to get it.
 * Returns the reason to skip, or undefined when the part is there.
 */
export function missingPart(part: string, present: boolean, howToGet: string): string | undefined {
  if (present) return undefined;
  const message = `${part} is missing: ${howToGet}`;
  if (process.env.CI) throw new Error(`[CI] ${message}`);
  process.stderr.write(`skipping: ${message}\n`);
  return message;
}
