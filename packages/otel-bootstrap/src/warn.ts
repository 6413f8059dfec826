// Diagnostics of the bootstrap itself. They go to stderr as one JSON line each
// (console is lint-forbidden, and the app's logger may not exist yet), so they
// are visible in `docker logs` and parseable by the same log pipeline.

const COMPONENT = 'otel-bootstrap';

export type WarnLevel = 'warn' | 'info' | 'error' | 'debug';

export function writeDiagnostic(level: WarnLevel, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), component: COMPONENT, msg, ...fields });
  try {
    process.stderr.write(line + '\n');
  } catch {
    // A closed stderr must never take the app down.
  }
}

export function warn(msg: string, fields?: Record<string, unknown>): void {
  writeDiagnostic('warn', msg, fields);
}

const warnedKeys = new Set<string>();

/** Writes the warning only the first time `key` is seen in this process. */
export function warnOnce(key: string, msg: string, fields?: Record<string, unknown>): void {
  if (warnedKeys.has(key)) return;
  warnedKeys.add(key);
  warn(msg, fields);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
