import type { DestinationStream } from 'pino';

export interface CapturedLines {
  /** Pass as createLogger({ destination }). */
  destination: DestinationStream;
  /** Every line written so far, parsed. */
  lines: Record<string, unknown>[];
  /** Every line written so far, as written. */
  text(): string;
}

/** An in-memory log sink for tests: createLogger({ destination: capture.destination }). */
export function captureLines(): CapturedLines {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  return {
    destination: {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
    lines,
    text: () => raw.join(''),
  };
}
