#!/usr/bin/env node
// npm start: the whole local stack, natively. See --help.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { which } from '@lookout/testkit';
import { components, type StackContext } from './components.ts';
import { devApiKey } from './dev-key.ts';
import { startOrder } from './order.ts';
import { ComponentFailed, startComponent, stopAll, type Started } from './supervisor.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function parsePorts(value: string, previous: Record<string, number>): Record<string, number> {
  const ports = { ...previous };
  for (const pair of value.split(',')) {
    const [name, port] = pair.split('=');
    const n = Number(port);
    if (!name || !Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError(`expected NAME=PORT, got "${pair}"`);
    ports[name] = n;
  }
  return ports;
}

const program = new Command('npm start --')
  .description('Start the Lookout stack natively: Redis and the services, each waited on until healthy.')
  .option('-o, --only <names...>', `components to run, with what they depend on (${components.map((c) => c.name).join(', ')})`)
  .option('-d, --data-dir <dir>', 'where data and logs live; a second start reuses it', resolve(repoRoot, '.data'))
  .option('-p, --port <NAME=PORT,...>', 'override ports, e.g. mcp-server=4200,redis=6400', parsePorts, {})
  .option('-t, --timeout <seconds>', 'how long each component may take to become healthy', (v) => Number(v), 60)
  .addHelpText('after', `\nDefault ports: ${components.map((c) => `${c.name}=${c.defaultPort}`).join(', ')}\nCtrl-C stops everything.`)
  .parse();

const options = program.opts<{ only?: string[]; dataDir: string; port: Record<string, number>; timeout: number }>();
const say = (line: string) => process.stdout.write(`${line}\n`);

let order: ReturnType<typeof startOrder> = [];
try {
  order = startOrder(components, options.only);
} catch (error) {
  program.error(`stack: ${(error as Error).message}`);
}
for (const name of Object.keys(options.port)) {
  if (!components.some((c) => c.name === name)) program.error(`stack: --port names unknown component "${name}"`);
}

if (order.some((c) => c.name === 'redis') && !which('redis-server')) {
  program.error('stack: redis-server is not installed. Install it with: apt-get install redis-server (Debian/Ubuntu), then run npm start again.');
}

const dataDir = resolve(options.dataDir);
mkdirSync(resolve(dataDir, 'redis'), { recursive: true });
const port = (name: string) => options.port[name] ?? components.find((c) => c.name === name)?.defaultPort ?? 0;
const apiKey = devApiKey(dataDir);
const ctx: StackContext = { repoRoot, dataDir, port, redisUrl: `redis://127.0.0.1:${port('redis')}`, apiKey };

const started: Started[] = [];
let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await stopAll(started, (line) => say(`  ${line}`));
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const t0 = performance.now();
for (const component of order) {
  const began = performance.now();
  say(`starting ${component.name} ...`);
  try {
    const s = await startComponent(component, ctx, options.timeout * 1000);
    started.push(s);
    say(`  ${component.name} healthy in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    s.process.exited.then((code) => {
      if (stopping) return;
      say(`\n${component.name} exited unexpectedly (${code}). Last lines:\n${s.process.tail(20)}\nFull log: ${s.logFile}`);
      void stop(1);
    });
  } catch (error) {
    if (error instanceof ComponentFailed) {
      say(`\n✗ ${error.message}`);
      say(`Full log: ${error.logFile}\nHint: check the port with --port, or run the component alone with --only ${error.component}.`);
    } else {
      say(`\n✗ ${(error as Error).message}`);
    }
    await stop(1);
  }
}

say(`\nLookout is up (${((performance.now() - t0) / 1000).toFixed(1)} s). Ctrl-C stops everything.\n`);
const links = started.flatMap(({ component }) => Object.entries(component.links(ctx)));
const width = Math.max(...links.map(([label]) => label.length));
for (const [label, url] of links) say(`  ${label.padEnd(width)}  ${url}`);
say(`\n  API key (local only, kept in ${dataDir}/dev-api-key): Authorization: Bearer ${apiKey}`);
say(`  Logs: ${dataDir}/logs/`);
