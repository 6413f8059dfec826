// `npm start` to all-healthy: the supervisor (apps/stack/src/main.ts) started as `npm start` starts it,
// timed from spawn to its "Lookout is up" line, with every binary already in the cache (warm).
// Twice per round: into a fresh data dir (first start of a checkout) and again into the same one
// (every later start: Prometheus replays its WAL, VictoriaLogs and Jaeger open their stores).
// The cold figure is not re-measured (it would rebuild every backend for many minutes): it is read
// from scripts/backends' own record of its last cold build of each, logs/timings.tsv.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKENDS, components, portsOf } from '@lookout/stack/components';
import { cacheDir } from '@lookout/backends';
import { freePort } from '@lookout/process-kit';
import { median } from '../stats.ts';
import type { BenchCase, BenchOptions, BenchRow } from '../case.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(repoRoot, 'apps', 'stack', 'src', 'main.ts');
/** The backends' components in deploy/versions.json (what build.sh builds for npm start). */
const BUILT = ['otelcol', 'prometheus', 'victorialogs', 'jaeger'];

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

/** The latest cold build time of each component, from scripts/backends' timings.tsv (date, component, version, seconds, go). */
function coldBuildSeconds(): Map<string, { seconds: number; version: string; date: string }> {
  const file = join(cacheDir(), 'logs', 'timings.tsv');
  const latest = new Map<string, { seconds: number; version: string; date: string }>();
  if (!existsSync(file)) return latest;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [date, component, version, seconds] = line.split('\t');
    if (date && component && version && seconds) latest.set(component, { seconds: Number(seconds), version, date });
  }
  return latest;
}

export const startupStack: BenchCase = {
  name: 'startup-stack',
  description: `npm start to all-healthy (${BACKENDS.join(', ')} and the platform), warm binary cache; cold build from timings.tsv`,
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
    const cold = coldBuildSeconds();
    const coldRows = BUILT.map((component): BenchRow => {
      const entry = cold.get(component);
      return { label: `cold build ${component}`, values: entry ? { seconds: entry.seconds, version: entry.version, measured: entry.date } : { seconds: 'not recorded' } };
    });
    const coldTotal = BUILT.reduce((sum, c) => sum + (cold.get(c)?.seconds ?? 0), 0);
    const warmS = median(fresh) / 1000;
    return {
      rows: [
        { label: 'warm, fresh data dir', values: { 's to all-healthy (median)': warmS.toFixed(2), rounds } },
        { label: 'warm, reused data dir', values: { 's to all-healthy (median)': (median(reused) / 1000).toFixed(2), rounds } },
        ...coldRows,
        { label: 'cold, first npm start', values: { 's (builds + warm start)': (coldTotal + warmS).toFixed(0), note: 'builds from timings.tsv, one at a time' } },
      ],
      ratios: [{ name: 'warm start-up, seconds', value: warmS, target: '< 10 (seconds, not minutes)', met: warmS < 10 }],
    };
  },
};
