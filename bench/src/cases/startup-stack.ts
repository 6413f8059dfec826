// `npm start` to all-healthy: the supervisor (apps/stack/src/main.ts) started as `npm start` starts it,
// timed from spawn to its "Lookout is up" line, with every binary already in the cache (warm).
// Twice per round: into a fresh data dir (first start of a checkout) and again into the same one
// (every later start: Prometheus replays its WAL, VictoriaLogs and Jaeger open their stores).
// The cold figure is not re-measured here (it rebuilds every backend for many minutes): it is what
// npm start itself measured the last time it started on an empty binary cache (logs/first-starts.tsv,
// launch to "Lookout is up", builds and a Redis install included), with each build's time from
// scripts/backends' record (logs/timings.tsv).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstStartsFile } from '@lookout/stack/binaries';
import { BACKENDS, components, portsOf } from '@lookout/stack/components';
import { cacheDir } from '@lookout/backends';
import { freePort } from '@lookout/process-kit';
import { median, spread } from '../stats.ts';
import type { BenchCase, BenchOptions, BenchRow } from '../case.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(repoRoot, 'apps', 'stack', 'src', 'main.ts');
/** What npm start has build.sh build, as build.sh targets (COMPONENT:COMMAND), in start order. */
const BUILT = [...new Set(components.flatMap((c) => (c.binary ? [`${c.binary.component}:${c.binary.command}`] : [])))];
const COLD_TARGET_S = 600;
const WARM_TARGET_S = 5;

/** One `npm start` into dataDir on free ports: milliseconds until it printed "Lookout is up", then Ctrl-C. */
async function startOnce(dataDir: string): Promise<number> {
  const ports: string[] = [];
  for (const [name] of components.flatMap(portsOf)) ports.push(`${name}=${await freePort()}`);
  const started = performance.now();
  const child = spawn(process.execPath, [main, '--data-dir', dataDir, '--port', ports.join(','), '--timeout', '60'], {
    cwd: repoRoot,
    env: { ...process.env, LOOKOUT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start not up after 180 s:\n${output.slice(-2000)}`)), 180_000);
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => (output += chunk));
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('Lookout is up')) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code}) before all-healthy:\n${output.slice(-4000)}`));
      });
    });
  } finally {
    // A child that already exited (the failure path above) emits no second 'exit' to wait for.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
  }
}

/** Rows of a TSV file in the binary cache's logs/ (empty when it does not exist yet). */
function tsvRows(file: string): string[][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => line.split('\t'));
}

/** The latest cold build of each build.sh target (timings.tsv: date, target, version, seconds, go). */
function coldBuildSeconds(): Map<string, { seconds: number; version: string; date: string }> {
  const latest = new Map<string, { seconds: number; version: string; date: string }>();
  for (const [date, target, version, seconds] of tsvRows(join(cacheDir(), 'logs', 'timings.tsv'))) {
    if (date && target && version && seconds) latest.set(target, { seconds: Number(seconds), version, date });
  }
  return latest;
}

/** npm start's own record of its last start on an empty cache (first-starts.tsv: date, total s, build s, targets). */
function lastFirstStart(): { date: string; totalS: number; buildS: number; built: string } | undefined {
  const [date, total, build, built] = tsvRows(firstStartsFile()).at(-1) ?? [];
  return date && total && build ? { date, totalS: Number(total), buildS: Number(build), built: built ?? '' } : undefined;
}

function coldRows(): BenchRow[] {
  const cold = coldBuildSeconds();
  // A target built whole (before npm start asked for single commands) is recorded under its component.
  const rows = BUILT.map((target): BenchRow => {
    const entry = cold.get(target) ?? cold.get(target.split(':')[0]!);
    return { label: `cold build ${target}`, values: entry ? { seconds: entry.seconds, version: entry.version, measured: entry.date } : { seconds: 'not recorded' } };
  });
  const first = lastFirstStart();
  rows.push({
    label: 'cold, first npm start (measured by npm start)',
    values: first
      ? { 's to all-healthy': first.totalS.toFixed(0), 's building': first.buildS.toFixed(0), measured: first.date, built: first.built }
      : { 's to all-healthy': 'not recorded: run npm start on an empty LOOKOUT_CACHE_DIR' },
  });
  return rows;
}

export const startupStack: BenchCase = {
  name: 'startup-stack',
  description: `npm start to all-healthy (${BACKENDS.join(', ')} and the platform), warm binary cache; cold: npm start's own record of its last start on an empty cache`,
  async run({ quick, progress }: BenchOptions) {
    const rounds = quick ? 1 : 5;
    const fresh: number[] = [];
    const reused: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'lookout-bench-stack-'));
      try {
        fresh.push(await startOnce(dataDir));
        reused.push(await startOnce(dataDir));
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
      progress(`startup-stack: round ${round + 1}/${rounds}: fresh ${(fresh.at(-1)! / 1000).toFixed(1)} s, reused ${(reused.at(-1)! / 1000).toFixed(1)} s`);
    }
    const warmS = median(fresh) / 1000;
    const first = lastFirstStart();
    return {
      rows: [
        { label: 'warm, fresh data dir', values: { 's to all-healthy (median)': warmS.toFixed(2), spread: spread(fresh.map((ms) => ms / 1000)) } },
        { label: 'warm, reused data dir', values: { 's to all-healthy (median)': (median(reused) / 1000).toFixed(2), spread: spread(reused.map((ms) => ms / 1000)) } },
        ...coldRows(),
      ],
      ratios: [
        { name: `warm start-up, seconds (${spread(fresh.map((ms) => ms / 1000))})`, value: warmS, target: `<= ${WARM_TARGET_S}`, met: warmS <= WARM_TARGET_S },
        {
          name: `cold start-up, seconds (npm start's last start on an empty cache${first ? `, ${first.date}` : ': none recorded'})`,
          value: first?.totalS ?? Number.NaN,
          target: `<= ${COLD_TARGET_S}`,
          met: first !== undefined && first.totalS <= COLD_TARGET_S,
        },
      ],
    };
  },
};
