// What the scheduled report needs besides the report itself: durations as operators write them,
// the previous whole period, and writing the file so a reader never sees half of it.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration such as 30s, 5m, 1h or 1d, in seconds; undefined when it is not one (or is 0). */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * SECONDS[match[2]!]! : 0;
  return seconds >= 1 ? seconds : undefined;
}

/** The last whole period before `now`, aligned to the epoch (a 1d period is the previous UTC day). */
export function previousPeriod(now: Date, periodSeconds: number): { start: Date; end: Date } {
  const periodMs = periodSeconds * 1000;
  const end = Math.floor(now.getTime() / periodMs) * periodMs;
  return { start: new Date(end - periodMs), end: new Date(end) };
}

const FILE = /^slo-report-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/;
const compact = (time: Date) => time.toISOString().replaceAll(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

/** slo-report-20261129T000000Z-20261130T000000Z.csv: sorts by time, no characters a file system refuses. */
export const reportFileName = (period: { start: Date; end: Date }) => `slo-report-${compact(period.start)}-${compact(period.end)}.csv`;

/** Writes the report under dir (created if needed) through a temporary file and a rename; returns its path. */
export function writeReportFile(dir: string, period: { start: Date; end: Date }, csv: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, reportFileName(period));
  writeFileSync(`${file}.tmp`, csv);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** Seconds since the newest report file of dir was written, or undefined when there is none. */
export function newestReportAge(dir: string, now = Date.now()): number | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => FILE.test(name));
  } catch {
    return undefined;
  }
  const newest = Math.max(...names.map((name) => statSync(join(dir, name)).mtimeMs));
  return Number.isFinite(newest) ? Math.max(0, (now - newest) / 1000) : undefined;
}
