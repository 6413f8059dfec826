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
