#!/usr/bin/env node
// npm run smoke: `npm start` as a user runs it, then /health, /health/ready and /metrics of every
// service. CI's smoke check (bash .ci/run smoke) and smoke.integration.test.ts run it. See --help.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { freePort } from '@lookout/process-kit';
import { components, PLATFORM, portsOf } from './components.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const SERVICES = PLATFORM.filter((name) => name !== 'redis');
const UP_LINE = 'Lookout is up';

interface Probe {
  service: string;
  path: string;
  /** What a good answer holds beyond status 200. */
  expect: (body: string) => boolean;
  what: string;
}

const probes = (service: string): Probe[] => [
  { service, path: '/health', expect: () => true, what: '200' },
  { service, path: '/health/ready', expect: () => true, what: '200' },
  // A Prometheus text page with at least one metric family, not an empty 200.
  { service, path: '/metrics', expect: (body) => /^# TYPE \w+ \w+$/m.test(body), what: '200 with Prometheus text' },
];

async function check(probe: Probe, port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${probe.path}`, { signal: AbortSignal.timeout(5_000) });
    const body = await response.text();
    if (response.status === 200 && probe.expect(body)) return undefined;
    return `answered ${response.status}, expected ${probe.what}: ${body.slice(0, 120)}`;
  } catch (error) {
    return `no answer (${(error as Error).message})`;
  }
}

/** Starts `npm start` (main.ts) on free ports in a throw-away data dir; resolves once it printed UP_LINE. */
async function startStack(timeoutSeconds: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-smoke-'));
  const ports = new Map<string, number>();
  for (const [name] of components.flatMap(portsOf)) ports.set(name, await freePort());
  const portArg = [...ports].map(([name, port]) => `${name}=${port}`).join(',');
  const child = spawn(process.execPath, [MAIN, '--data-dir', dataDir, '--port', portArg, '--timeout', String(timeoutSeconds)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const up = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(UP_LINE)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`smoke: npm start exited (${code}) before "${UP_LINE}". Its output:\n${output}`)));
  });
  /** Stops the stack; keeps the data dir (with every component's log) when asked, for a failed run. */
  const stop = async (keepData = false) => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT'); // what Ctrl-C sends: main.ts stops services first, then the backends
      await exited;
    }
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await up;
  } catch (error) {
    await stop();
    throw error;
  }
  return { port: (name: string) => ports.get(name) ?? 0, dataDir, stop };
}

async function main() {
  const options = new Command('npm run smoke --')
    .description(`Start the stack as \`npm start\` does (free ports, a throw-away data dir), check /health, /health/ready and /metrics of ${SERVICES.join(', ')}, then stop it. Exits 1 naming each failed check.`)
    .option('-t, --timeout <seconds>', 'how long each component may take to become healthy', (v) => Number(v), 120)
    .parse()
    .opts<{ timeout: number }>();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`smoke: starting the stack (npm start), up to ${options.timeout} s per component`);
  const stack = await startStack(options.timeout);
  const failures: string[] = [];
  try {
    for (const probe of SERVICES.flatMap(probes)) {
      const problem = await check(probe, stack.port(probe.service));
      say(`  ${problem ? '✗' : '✓'} ${probe.service} ${probe.path}${problem ? `: ${problem}` : ''}`);
      if (problem) failures.push(`${probe.service} ${probe.path}`);
    }
  } finally {
    await stack.stop(failures.length > 0);
  }
  if (failures.length > 0) {
    say(`smoke: ${failures.length} check(s) failed: ${failures.join(', ')}. Every component's log is kept in ${join(stack.dataDir, 'logs')}.`);
    process.exit(1);
  }
  say(`smoke: all ${SERVICES.length * 3} checks passed`);
}

await main();
