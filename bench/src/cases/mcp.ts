// MCP review_diff throughput and p99 latency, with and without the bootstrap, in one run.
// The services start as `npm start` starts them (same components and supervisor); with the
// bootstrap they sample 10% of traces and export OTLP to a local receiver standing in for the collector.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOtlpReceiver } from '@lookout/testkit';
import { BOOTSTRAP_PRELOAD, components, type StackContext } from '@lookout/stack/components';
import { devApiKey } from '@lookout/stack/dev-key';
import { startComponent, stopAll, type Started } from '@lookout/stack/supervisor';
import { freePort } from '@lookout/process-kit';
import { CONCURRENCY, reviewDiffLoad } from '../mcp-load.ts';
import { median, percentile } from '../stats.ts';
import type { BenchCase, BenchOptions } from '../case.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

type Variant = 'plain' | 'lookout';

async function runVariant(variant: Variant, seconds: number, receiverUrl: string, progress: (line: string) => void) {
  const dataDir = mkdtempSync(join(tmpdir(), `lookout-bench-${variant}-`));
  mkdirSync(join(dataDir, 'redis'), { recursive: true });
  const ports = new Map<string, number>();
  for (const c of components) ports.set(c.name, await freePort());
  const ctx: StackContext = {
    repoRoot,
    dataDir,
    port: (name) => ports.get(name) ?? 0,
    redisUrl: `redis://127.0.0.1:${ports.get('redis')}`,
    apiKey: devApiKey(dataDir),
    serviceNodeArgs: variant === 'lookout' ? BOOTSTRAP_PRELOAD : [],
  };
  Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl, LOOKOUT_LOG_LEVEL: 'warn' });
  const started: Started[] = [];
  try {
    for (const name of ['redis', 'reviewer', 'mcp-server']) {
      started.push(await startComponent(components.find((c) => c.name === name)!, ctx, 30_000));
    }
    const mcpUrl = `http://127.0.0.1:${ctx.port('mcp-server')}/mcp`;
    await reviewDiffLoad(mcpUrl, ctx.apiKey, Math.min(2, seconds)); // warm-up: JIT, connection pools
    const latenciesMs = await reviewDiffLoad(mcpUrl, ctx.apiKey, seconds);
    progress(`mcp (${variant}): ${latenciesMs.length} calls in ${seconds} s`);
    return { callsPerSecond: latenciesMs.length / seconds, latenciesMs };
  } finally {
    await stopAll(started, () => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const mcp: BenchCase = {
  name: 'mcp',
  description: `MCP review_diff calls/s and p99 with ${CONCURRENCY} clients: without vs with the bootstrap (10% sampling)`,
  async run({ quick, progress }: BenchOptions) {
    const seconds = quick ? 3 : 10;
    const pairs = quick ? 1 : 3;
    const receiver = await startOtlpReceiver();
    const runs: Record<Variant, { rates: number[]; latenciesMs: number[] }> = { plain: { rates: [], latenciesMs: [] }, lookout: { rates: [], latenciesMs: [] } };
    try {
      // A B A B A B: drift on a shared machine touches both variants alike, and the median of three
      // keeps one noisy round (two processes and Redis share 2 cores with the clients) from deciding.
      for (const variant of Array.from({ length: pairs }, (): Variant[] => ['plain', 'lookout']).flat()) {
        const { callsPerSecond, latenciesMs } = await runVariant(variant, seconds, receiver.url, progress);
        runs[variant].rates.push(callsPerSecond);
        runs[variant].latenciesMs.push(...latenciesMs);
        receiver.clear();
      }
    } finally {
      await receiver.stop();
    }
    const rate = (v: Variant) => median(runs[v].rates);
    const p99 = (v: Variant) => percentile(runs[v].latenciesMs, 99);
    const ratio = rate('lookout') / rate('plain');
    return {
      rows: (['plain', 'lookout'] as Variant[]).map((v) => ({
        label: v === 'plain' ? 'without bootstrap' : 'with bootstrap',
        values: { [`calls/s (median of ${pairs})`]: rate(v).toFixed(0), 'p50 ms': percentile(runs[v].latenciesMs, 50).toFixed(1), 'p99 ms': p99(v).toFixed(1) },
      })),
      ratios: [
        { name: 'throughput, with / without bootstrap', value: ratio, target: '>= 0.90', met: ratio >= 0.9 },
        { name: 'p99 latency, with / without bootstrap', value: p99('lookout') / p99('plain'), target: 'reported', met: true },
      ],
    };
  },
};
