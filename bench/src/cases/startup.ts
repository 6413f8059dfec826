// Start-up cost of the bootstrap: time to the first served request and RSS after it,
// for the same tiny app started plain, with our bootstrap, and with auto-instrumentations-node.
// The app comes twice: as TypeScript (how the services run) and as plain CommonJS, where the
// bootstrap's own TypeScript is the only thing that makes Node load its type stripper.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import { median } from '../stats.ts';
import type { BenchCase, BenchOptions } from '../case.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const apps = {
  ts: fileURLToPath(new URL('../fixtures/http-app.ts', import.meta.url)),
  cjs: fileURLToPath(new URL('../fixtures/http-app.cjs', import.meta.url)),
} as const;
type App = keyof typeof apps;

// The bootstrap turns on Node's compile cache (see packages/otel-bootstrap/src/register.cjs);
// `lookout-nocache` shows what it costs without it, so the figures say how much the cache buys.
const variants = {
  plain: { args: [], env: {} },
  lookout: { args: ['--require', '@lookout/otel-bootstrap/register'], env: {} },
  'lookout-nocache': { args: ['--require', '@lookout/otel-bootstrap/register'], env: { NODE_DISABLE_COMPILE_CACHE: '1' } },
  // What the runtime metrics (instrumentation-runtime-node) add to ours.
  'lookout-noruntime': { args: ['--require', '@lookout/otel-bootstrap/register'], env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'runtime-node' } },
  auto: { args: ['--require', '@opentelemetry/auto-instrumentations-node/register'], env: {} },
} as const;
type Variant = keyof typeof variants;

// Same exporter settings for both instrumented variants: OTLP to a port where nothing listens,
// so neither pays for a live collector and both pay the same for a dead one.
const env = {
  ...process.env,
  OTEL_SERVICE_NAME: 'bench-startup',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
  OTEL_LOG_LEVEL: 'none',
};

function getJson(port: number): Promise<{ rss: number }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body) as { rss: number }));
    }).on('error', reject).end();
  });
}

async function startOnce(app: App, variant: Variant): Promise<{ ms: number; rss: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...variants[variant].args, apps[app]], { cwd: repoRoot, env: { ...env, ...variants[variant].env }, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const match = /listening (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`bench app (${app}, ${variant}) exited with ${code} before listening`)));
    });
    const { rss } = await getJson(port);
    return { ms: performance.now() - started, rss };
  } finally {
    child.kill('SIGKILL');
  }
}

async function measure(app: App, rounds: number, progress: (line: string) => void) {
  const samples = Object.fromEntries(Object.keys(variants).map((v) => [v, { ms: [] as number[], rss: [] as number[] }])) as Record<Variant, { ms: number[]; rss: number[] }>;
  // Interleave the variants so drift on a busy machine hits them all alike.
  for (let round = 0; round < rounds; round++) {
    for (const variant of Object.keys(variants) as Variant[]) {
      const { ms, rss } = await startOnce(app, variant);
      samples[variant].ms.push(ms);
      samples[variant].rss.push(rss);
    }
    progress(`startup (${app} app): round ${round + 1}/${rounds}`);
  }
  const ms = (v: Variant) => median(samples[v].ms);
  const rssMiB = (v: Variant) => median(samples[v].rss) / 2 ** 20;
  const added = (v: Variant) => ({
    time: (ms(v) - ms('plain')) / (ms('auto') - ms('plain')),
    rss: (rssMiB(v) - rssMiB('plain')) / (rssMiB('auto') - rssMiB('plain')),
  });
  const cached = added('lookout');
  const uncached = added('lookout-nocache');
  return {
    rows: (Object.keys(variants) as Variant[]).map((v) => ({
      label: `${app} app, ${v}`,
      values: { 'first request ms (median)': ms(v).toFixed(1), 'RSS MiB (median)': rssMiB(v).toFixed(1) },
    })),
    ratios: [
      { name: `${app} app: added start-up time, lookout / auto`, value: cached.time, target: '<= 0.33', met: cached.time <= 1 / 3 },
      { name: `${app} app: added RSS, lookout / auto`, value: cached.rss, target: '<= 0.50', met: cached.rss <= 0.5 },
      { name: `${app} app: same without compile cache, time`, value: uncached.time, target: 'reported', met: true },
      { name: `${app} app: same without compile cache, RSS`, value: uncached.rss, target: 'reported', met: true },
      { name: `${app} app: runtime metrics add, ms`, value: ms('lookout') - ms('lookout-noruntime'), target: 'reported', met: true },
      { name: `${app} app: runtime metrics add, MiB RSS`, value: rssMiB('lookout') - rssMiB('lookout-noruntime'), target: 'reported', met: true },
    ],
  };
}

export const startup: BenchCase = {
  name: 'startup',
  description: 'time to first served request and RSS: plain vs @lookout/otel-bootstrap vs auto-instrumentations-node',
  async run({ quick, progress }: BenchOptions) {
    const rounds = quick ? 3 : 15;
    const results = [await measure('ts', rounds, progress), await measure('cjs', rounds, progress)];
    return { rows: results.flatMap((r) => r.rows), ratios: results.flatMap((r) => r.ratios) };
  },
};
