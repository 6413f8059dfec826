#!/usr/bin/env node
// npm start: the whole local stack, natively. See --help.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { buildBinaries, buildTargets, missingBinaries, recordFirstStart } from './binaries.ts';
import { components, portsOf, type StackContext } from './components.ts';
import { devApiKey } from './dev-key.ts';
import { ensureRedisServer } from './redis-server.ts';
import { startOrder } from './order.ts';
import { ComponentFailed, startAll, stopAll, type Started } from './supervisor.ts';

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

const portNames = new Map(components.flatMap(portsOf));

const program = new Command('npm start --')
  .description(
    'Start the Lookout stack natively, each component waited on until healthy: VictoriaLogs (app and audit), Jaeger, ' +
      'the OpenTelemetry Collector, Alertmanager, Prometheus, Redis and the services. Missing backend binaries are built first (scripts/backends/build.sh).',
  )
  .option('-o, --only <names...>', `components to run, with what they depend on (${components.map((c) => c.name).join(', ')})`)
  .option('-d, --data-dir <dir>', 'where data and logs live; a second start reuses it', resolve(repoRoot, '.data'))
  .option('-p, --port <NAME=PORT,...>', 'override ports, e.g. mcp-server=4200,redis=6400,collector.health=14133', parsePorts, {})
  .option('-t, --timeout <seconds>', 'how long each component may take to become healthy', (v) => Number(v), 60)
  .addHelpText(
    'after',
    `\nDefault ports (NAME or NAME.ROLE):\n${components.map((c) => `  ${portsOf(c).map(([n, p]) => `${n}=${p}`).join(', ')}`).join('\n')}` +
      `\n\nBackend binaries come from \${LOOKOUT_CACHE_DIR:-~/.cache/lookout}/bin (versions: deploy/versions.json).\nCtrl-C stops everything.`,
  )
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
  if (!portNames.has(name)) program.error(`stack: --port names unknown port "${name}"; known: ${[...portNames.keys()].join(', ')}`);
}

if (order.some((c) => c.name === 'redis')) {
  const redis = ensureRedisServer(say);
  if (!redis.ok) program.error(redis.message);
}

// First use: build the pinned backends that are not in the cache yet (minutes, with progress lines).
const built = buildTargets(missingBinaries(repoRoot, order.flatMap((c) => (c.binary ? [c.binary] : []))));
const buildStarted = performance.now();
if (built.length > 0) {
  say(`Building backend binaries not in the cache yet: ${built.join(', ')} (first use only; a cold build takes minutes, progress below)`);
  try {
    await buildBinaries(repoRoot, built);
  } catch (error) {
    say(`\n✗ ${(error as Error).message}\nHint: see scripts/backends/README.md, or leave those components out with --only.`);
    process.exit(1);
  }
}

const dataDir = resolve(options.dataDir);
mkdirSync(dataDir, { recursive: true });
const port = (name: string) => options.port[name] ?? portNames.get(name) ?? 0;
const apiKey = devApiKey(dataDir);
const ctx: StackContext = {
  repoRoot,
  dataDir,
  port,
  redisUrl: `redis://127.0.0.1:${port('redis')}`,
  apiKey,
  running: order.map((c) => c.name),
  // Services export to this stack's collector when it runs one; else they keep OTEL_EXPORTER_OTLP_ENDPOINT (default :4318).
  otlpEndpoint: order.some((c) => c.name === 'collector') ? `http://127.0.0.1:${port('collector')}` : undefined,
};

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
try {
  await startAll(order, ctx, {
    timeoutMs: options.timeout * 1000,
    progress: say,
    onStarted: (s) => started.push(s), // so Ctrl-C during start-up stops what is already up
  });
} catch (error) {
  if (error instanceof ComponentFailed) {
    say(`\n✗ ${error.message}`);
    const hint = components.find((c) => c.name === error.component)?.hint;
    say(`Full log: ${error.logFile}\nHint: ${hint ? `${hint} ` : ''}Check the port with --port, or run the component alone with --only ${error.component}.`);
  } else {
    say(`\n✗ ${(error as Error).message}`);
  }
  await stop(1);
}

// From here on a component that exits is news (during start-up, startAll reports it).
for (const s of started) {
  void s.process.exited.then((code) => {
    if (stopping) return;
    say(`\n${s.component.name} exited unexpectedly (${code}). Last lines:\n${s.process.tail(20)}\nFull log: ${s.logFile}`);
    void stop(1);
  });
}

say(`\nLookout is up (${((performance.now() - t0) / 1000).toFixed(1)} s). Ctrl-C stops everything.\n`);
if (built.length > 0) {
  // process.uptime(): from launch, so a Redis install and the builds count, as a newcomer lives them.
  const first = { totalSeconds: process.uptime(), buildSeconds: (t0 - buildStarted) / 1000, built };
  recordFirstStart(first);
  say(`  First start: ${(first.totalSeconds / 60).toFixed(1)} min to all-healthy, ${(first.buildSeconds / 60).toFixed(1)} of them building (recorded for npm run bench).\n`);
}
const links = started.flatMap(({ component }) => Object.entries(component.links(ctx)));
const width = Math.max(...links.map(([label]) => label.length));
for (const [label, url] of links) say(`  ${label.padEnd(width)}  ${url}`);
say('\n  One request end to end, in the terminal: npm run lookout -- trace <trace-id> | --request-id <id> | --service <name> --last 5m [--errors]');
say(`\n  API key (local only, kept in ${dataDir}/dev-api-key): Authorization: Bearer ${apiKey}`);
say(`  Logs: ${dataDir}/logs/`);
