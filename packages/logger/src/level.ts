export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

export interface ResolvedLevel {
  level: LogLevel;
  /** The rejected input, when there was one: the caller logs one warning about it. */
  rejected?: string;
}

/** Reads a level name (case and surrounding spaces ignored); empty means the default. */
export function resolveLevel(value: string | undefined): ResolvedLevel {
  const wanted = value?.trim().toLowerCase();
  if (!wanted) return { level: DEFAULT_LOG_LEVEL };
  if ((LOG_LEVELS as readonly string[]).includes(wanted)) return { level: wanted as LogLevel };
  return { level: DEFAULT_LOG_LEVEL, rejected: value };
}
