// MCP review_diff throughput and p99 latency, with and without the bootstrap, in one run.
// The services start as `npm start` starts them (same components and supervisor); with the
// bootstrap they sample 10% of traces and export OTLP to a local receiver standing in for the collector.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOtlpReceiver } from '@lookout/testkit';
import { BOOTSTRAP_PRELOAD, components, type StackContext } from '@lookout/stack/components';
import { devApiKey } from '@lookout/stack/dev-key';
import { startComponent, stopAll, type Started } from '@lookout/stack/supervisor';
import { freePort } from '@lookout/process-kit';
import { CONCURRENCY, reviewDiffLoad } from '../mcp-load.ts';
import { median, percentile, spread } from '../stats.ts';
import type { BenchCase, BenchOptions } from '../case.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// lookout-noruntime: the bootstrap without instrumentation-runtime-node, to show what the runtime
// metrics cost (OTEL_NODE_DISABLED_INSTRUMENTATIONS).
type Variant = 'plain' | 'lookout' | 'lookout-noruntime';
const VARIANTS: Variant[] = ['plain', 'lookout', 'lookout-noruntime'];
const LABELS: Record<Variant, string> = { plain: 'without bootstrap', lookout: 'with bootstrap', 'lookout-noruntime': 'bootstrap, no runtime metrics' };

/** CPU seconds (user + system, all threads) a process has used, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return Number.NaN;
  }
}

// Both variants answer a tool call only once its audit record is fdatasync'd. On this VM's disk that
// wait varied enough to move calls/s by ±20 % between rounds of the same variant; in memory (/dev/shm,
// where there is one) it does not, and the CPU work compared is the same.
const dataRoot = () => (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

async function runVariant(variant: Variant, seconds: number, receiverUrl: string, progress: (line: string) => void) {
  const dataDir = mkdtempSync(join(dataRoot(), `lookout-bench-${variant}-`));
  mkdirSync(join(dataDir, 'redis'), { recursive: true });
  const ports = new Map<string, number>();
  for (const c of components) ports.set(c.name, await freePort());
  const ctx: StackContext = {
    repoRoot,
    dataDir,
    port: (name) => ports.get(name) ?? 0,
    redisUrl: `redis://127.0.0.1:${ports.get('redis')}`,
    apiKey: devApiKey(dataDir),
    serviceNodeArgs: variant === 'plain' ? [] : BOOTSTRAP_PRELOAD,
  };
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
    LOOKOUT_LOG_LEVEL: 'warn',
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: variant === 'lookout-noruntime' ? 'runtime-node' : '',
  });
  const started: Started[] = [];
  try {
    for (const name of ['redis', 'reviewer', 'mcp-server']) {
      started.push(await startComponent(components.find((c) => c.name === name)!, ctx, 30_000));
    }
    const mcpUrl = `http://127.0.0.1:${ctx.port('mcp-server')}/mcp`;
    await reviewDiffLoad(mcpUrl, ctx.apiKey, Math.min(2, seconds)); // warm-up: JIT, connection pools
    // CPU of the two services per call: unlike calls/s, barely moved by other load on the machine.
    const services = started.filter((s) => s.component.name !== 'redis').map((s) => s.process.child.pid);
    const cpuBefore = services.map(cpuSeconds);
    const latenciesMs = await reviewDiffLoad(mcpUrl, ctx.apiKey, seconds);
    const cpuMs = services.reduce<number>((sum, pid, i) => sum + (cpuSeconds(pid) - (cpuBefore[i] ?? 0)) * 1000, 0);
    progress(`mcp (${variant}): ${latenciesMs.length} calls in ${seconds} s`);
    return { callsPerSecond: latenciesMs.length / seconds, latenciesMs, cpuMsPerCall: cpuMs / latenciesMs.length };
  } finally {
    await stopAll(started, () => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Runs {
  rates: number[];
  cpuMsPerCall: number[];
  latenciesMs: number[];
}

export const mcp: BenchCase = {
  name: 'mcp',
  description: `MCP review_diff calls/s, p99 and service CPU per call with ${CONCURRENCY} clients: without vs with the bootstrap (10% sampling), and with it minus runtime metrics`,
  async run({ quick, progress }: BenchOptions) {
    const seconds = quick ? 3 : 10;
    const rounds = quick ? 1 : 5;
    const receiver = await startOtlpReceiver();
    const runs = Object.fromEntries(VARIANTS.map((v) => [v, { rates: [], cpuMsPerCall: [], latenciesMs: [] }])) as unknown as Record<Variant, Runs>;
    try {
      // Rounds of A B C, interleaved: drift on a shared machine touches every variant alike, ratios are
      // taken per round (against that round's plain run), and their median and spread are reported.
      for (let round = 0; round < rounds; round++) {
        for (const variant of VARIANTS) {
          const { callsPerSecond, latenciesMs, cpuMsPerCall } = await runVariant(variant, seconds, receiver.url, progress);
          runs[variant].rates.push(callsPerSecond);
          runs[variant].cpuMsPerCall.push(cpuMsPerCall);
          runs[variant].latenciesMs.push(...latenciesMs);
          receiver.clear();
        }
      }
    } finally {
      await receiver.stop();
    }
    const perRound = (v: Variant, pick: (r: Runs) => number[], invert = false) =>
      pick(runs[v]).map((value, i) => (invert ? (pick(runs.plain)[i] as number) / value : value / (pick(runs.plain)[i] as number)));
    const throughput = perRound('lookout', (r) => r.rates);
    const cpu = perRound('lookout', (r) => r.cpuMsPerCall, true);
    const noRuntime = perRound('lookout-noruntime', (r) => r.rates);
    const runtimeCpuMs = runs.lookout.cpuMsPerCall.map((value, i) => value - (runs['lookout-noruntime'].cpuMsPerCall[i] as number));
    const p99 = (v: Variant) => percentile(runs[v].latenciesMs, 99);
    const p99Ratio = p99('lookout') / p99('plain');
    return {
      rows: VARIANTS.map((v) => ({
        label: LABELS[v],
        values: {
          [`calls/s (median of ${rounds})`]: median(runs[v].rates).toFixed(0),
          'p50 ms': percentile(runs[v].latenciesMs, 50).toFixed(1),
          'p99 ms': p99(v).toFixed(1),
          'service CPU ms/call': median(runs[v].cpuMsPerCall).toFixed(2),
        },
      })),
      ratios: [
        { name: `throughput, with / without (${spread(throughput)})`, value: median(throughput), target: '>= 0.90', met: median(throughput) >= 0.9 },
        { name: 'p99 latency, with / without', value: p99Ratio, target: '<= 1.15', met: p99Ratio <= 1.15 },
        { name: `CPU per call, without / with (${spread(cpu)})`, value: median(cpu), target: 'reported', met: true },
        { name: `throughput, no runtime metrics / without (${spread(noRuntime)})`, value: median(noRuntime), target: 'reported', met: true },
        { name: 'runtime metrics, service CPU ms per call (median)', value: median(runtimeCpuMs), target: 'reported', met: true },
      ],
    };
  },
};
