// getLogger against plain pino, one process per run, variants interleaved in each round.
// Two figures for the services' setup (the transport worker): lines/s on the main thread (what a
// request pays), and lines/s delivered end to end (masked, on stdout and exported over OTLP).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { median, spread } from '../stats.ts';
import type { BenchCase, BenchOptions } from '../case.ts';

const script = fileURLToPath(new URL('../fixtures/log-throughput.ts', import.meta.url));
type Variant = 'plain' | 'lookout-main' | 'lookout-worker';
const VARIANTS: Variant[] = ['plain', 'lookout-main', 'lookout-worker'];
const LABELS: Record<Variant, string> = {
  plain: 'plain pino',
  'lookout-main': 'getLogger, masked here',
  'lookout-worker': 'getLogger + worker (OTLP)',
};
interface Sample {
  /** Lines per CPU second of the main thread. */
  linesPerCpuSecond: number;
  /** Lines per wall second until the last one was written out (and, for the worker, exported). */
  deliveredPerSecond: number;
  dropped: number;
}

/** An OTLP endpoint that accepts every batch and decodes none: the worker pays for exporting, not a collector. */
async function startOtlpSink(): Promise<{ url: string; close(): void }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

function runOnce(variant: Variant, lines: number, otlpUrl: string): Promise<Sample> {
  const preload = variant === 'lookout-worker' ? ['--require', '@lookout/otel-bootstrap/register'] : [];
  const child = spawn(process.execPath, [...preload, script, variant, String(lines)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      OTEL_SERVICE_NAME: 'bench',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      // A chunk of the bench is a burst no service logs; a queue that holds it measures exporting, not dropping.
      OTEL_BLRP_MAX_QUEUE_SIZE: '16384',
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const line = stderr.split('\n').find((l) => l.startsWith('{"variant"'));
      if (code !== 0 || !line) reject(new Error(`bench logging: ${variant} exited ${code}: ${stderr.slice(-500)}`));
      else resolve(JSON.parse(line) as Sample);
    });
  });
}

export const logging: BenchCase = {
  name: 'logging',
  description: 'lines/s: @lookout/logger (main-thread masking; transport worker with OTLP export) vs plain pino',
  async run({ quick, progress }: BenchOptions) {
    const rounds = quick ? 2 : 7;
    const lines = quick ? 50_000 : 300_000;
    const samples: Record<Variant, Sample[]> = { plain: [], 'lookout-main': [], 'lookout-worker': [] };
    const sink = await startOtlpSink();
    try {
      for (let round = 0; round < rounds; round++) {
        for (const variant of VARIANTS) samples[variant].push(await runOnce(variant, lines, sink.url));
        progress(`logging: round ${round + 1}/${rounds}`);
      }
    } finally {
      sink.close();
    }
    const rate = (v: Variant, pick: (s: Sample) => number = (s) => s.linesPerCpuSecond) => median(samples[v].map(pick));
    // Per round, against that round's plain run: a ratio per pair, so drift touches both sides alike.
    const pairRatios = (v: Variant, pick: (s: Sample) => number) => samples[v].map((s, i) => pick(s) / pick(samples.plain[i] as Sample));
    const mainRatios = pairRatios('lookout-worker', (s) => s.linesPerCpuSecond);
    const deliveredRatios = pairRatios('lookout-worker', (s) => s.deliveredPerSecond);
    const mainThreadMasking = pairRatios('lookout-main', (s) => s.linesPerCpuSecond);
    return {
      rows: VARIANTS.map((v) => ({
        label: LABELS[v],
        values: {
          'lines per main-thread CPU s': Math.round(rate(v)),
          // plain and masked-here: written to the sink; worker: exported over OTLP (stdout got every line).
          'delivered lines/s (wall)': Math.round(rate(v, (s) => s.deliveredPerSecond)),
          ...(v === 'lookout-worker' ? { [`not exported (median of ${lines})`]: median(samples[v].map((s) => s.dropped)) } : {}),
        },
      })),
      ratios: [
        { name: `main thread, worker / plain pino (${spread(mainRatios)})`, value: median(mainRatios), target: '>= 0.50', met: median(mainRatios) >= 0.5 },
        { name: `exported end to end, worker / plain pino (${spread(deliveredRatios)})`, value: median(deliveredRatios), target: 'reported', met: true },
        { name: `masked on the main thread / plain pino (${spread(mainThreadMasking)})`, value: median(mainThreadMasking), target: 'reported', met: true },
      ],
    };
  },
};
