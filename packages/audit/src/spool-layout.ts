// How a stream's spool folder is laid out on disk: numbered segment files of one event per line.
// The only thing the writer (spool.ts) and the reader (readers.ts) share, so it lives apart from both.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const SEGMENT = /^(\d{10})\.jsonl$/;
const segmentName = (index: number) => `${String(index).padStart(10, '0')}.jsonl`;

/** The sorted segment numbers in a stream folder. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.flatMap((name) => {
    const match = SEGMENT.exec(name);
    return match ? [Number(match[1])] : [];
  }).sort((a, b) => a - b);
}

export const segmentPath = (dir: string, index: number): string => join(dir, segmentName(index));
