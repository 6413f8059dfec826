import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTargets, firstStartsFile, recordFirstStart } from './binaries.ts';
import { components } from './components.ts';

let cache: string | undefined;
afterEach(() => cache && rmSync(cache, { recursive: true, force: true }));

describe('what npm start builds on first use', () => {
  it('asks build.sh for the commands it runs only: no promtool, amtool, sloth or actionlint', () => {
    const targets = buildTargets(components.flatMap((c) => (c.binary ? [c.binary] : [])));
    expect(targets).toEqual(expect.arrayContaining(['prometheus:prometheus', 'alertmanager:alertmanager', 'otelcol:otelcol', 'jaeger:jaeger', 'victorialogs:victoria-logs']));
    expect(targets).toHaveLength(5); // two VictoriaLogs instances, one binary
    expect(targets.join(' ')).not.toMatch(/promtool|amtool|sloth|actionlint/);
  });

  it('records each first start in the cache, where the bench reads the cold start-up', () => {
    cache = mkdtempSync(join(tmpdir(), 'lookout-first-starts-'));
    const env = { LOOKOUT_CACHE_DIR: cache };
    recordFirstStart({ totalSeconds: 612.34, buildSeconds: 598.9, built: ['jaeger:jaeger', 'otelcol:otelcol'] }, env);
    recordFirstStart({ totalSeconds: 7.5, buildSeconds: 4, built: ['otelcol:otelcol'] }, env);
    const rows = readFileSync(firstStartsFile(env), 'utf8').trim().split('\n').map((line) => line.split('\t'));
    expect(rows).toHaveLength(2);
    expect(rows[0]?.slice(1)).toEqual(['612.3', '598.9', 'jaeger:jaeger otelcol:otelcol']);
    expect(new Date(rows[1]?.[0] ?? '').getTime()).not.toBeNaN();
  });
});
