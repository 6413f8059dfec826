import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newestReportAge, parseDuration, previousPeriod, reportFileName, writeReportFile } from './schedule.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'slo-report-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the scheduled report', () => {
  it('reads durations as operators write them', () => {
    expect([parseDuration('30s'), parseDuration('5m'), parseDuration('1h'), parseDuration('1d')]).toEqual([30, 300, 3600, 86_400]);
    expect([parseDuration('0s'), parseDuration('1w'), parseDuration('1.5h'), parseDuration('')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('covers the previous whole period: for a day, the previous UTC day', () => {
    expect(previousPeriod(new Date('2026-11-30T00:10:00Z'), 86_400)).toEqual({ start: new Date('2026-11-29T00:00:00Z'), end: new Date('2026-11-30T00:00:00Z') });
    expect(previousPeriod(new Date('2026-11-30T13:59:59Z'), 3600)).toEqual({ start: new Date('2026-11-30T12:00:00Z'), end: new Date('2026-11-30T13:00:00Z') });
  });

  it('writes the file whole under a name that sorts by time, and reports the age of the newest', () => {
    const dir = tempDir();
    const period = previousPeriod(new Date('2026-11-30T00:10:00Z'), 86_400);
    expect(reportFileName(period)).toBe('slo-report-20261129T000000Z-20261130T000000Z.csv');
    const file = writeReportFile(join(dir, 'reports'), period, 'a,b\r\n');
    expect(readFileSync(file, 'utf8')).toBe('a,b\r\n');
    expect(readdirSync(join(dir, 'reports'))).toEqual(['slo-report-20261129T000000Z-20261130T000000Z.csv']);
    utimesSync(file, new Date('2026-11-30T00:10:00Z'), new Date('2026-11-30T00:10:00Z'));
    writeFileSync(join(dir, 'reports', 'notes.txt'), 'not a report');
    expect(newestReportAge(join(dir, 'reports'), Date.parse('2026-11-30T00:11:30Z'))).toBe(90);
    expect(newestReportAge(join(dir, 'none'))).toBeUndefined();
    expect(newestReportAge(tempDir())).toBeUndefined();
  });
});
