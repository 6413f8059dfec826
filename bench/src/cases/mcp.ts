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
import { CONCURRENCY, connectClients, type McpClients } from '../mcp-load.ts';
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

interface Stack {
  variant: Variant;
  clients: McpClients;
  /** The two services' pids (not Redis). */
  services: (number | undefined)[];
  stop(): Promise<void>;
}

/** One variant's services, started as npm start starts them, warmed up and with clients connected. */
async function startStack(variant: Variant, receiverUrl: string): Promise<Stack> {
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
  const stop = async () => {
    await stopAll(started, () => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    for (const name of ['redis', 'reviewer', 'mcp-server']) {
      started.push(await startComponent(components.find((c) => c.name === name)!, ctx, 30_000));
    }
    const clients = await connectClients(`http://127.0.0.1:${ctx.port('mcp-server')}/mcp`, ctx.apiKey);
    const services = started.filter((s) => s.component.name !== 'redis').map((s) => s.process.child.pid);
    return { variant, clients, services, stop: async () => (await clients.close(), await stop()) };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One burst of load on one stack: calls/s, latencies, and the services' CPU per call. */
async function burst(stack: Stack, seconds: number) {
  // CPU of the two services per call: unlike calls/s, barely moved by other load on the machine.
  const cpuBefore = stack.services.map(cpuSeconds);
  const latenciesMs = await stack.clients.burst(seconds);
  const cpuMs = stack.services.reduce<number>((sum, pid, i) => sum + (cpuSeconds(pid) - (cpuBefore[i] ?? 0)) * 1000, 0);
  return { callsPerSecond: latenciesMs.length / seconds, latenciesMs, cpuMsPerCall: cpuMs / latenciesMs.length };
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
    const seconds = quick ? 2 : 4;
    // Rounds come in epochs, each on freshly started stacks: one started process can run a few percent
    // faster or slower than the next for its whole life (a run with one stack per variant showed a
    // steady 10 % gap between two variants that differ by nothing measurable when run side by side), so
    // the ratio is taken over several starts of each.
    const epochs = quick ? 1 : 4;
    const roundsPerEpoch = quick ? 2 : 5;
    const receiver = await startOtlpReceiver();
    const runs = Object.fromEntries(VARIANTS.map((v) => [v, { rates: [], cpuMsPerCall: [], latenciesMs: [] }])) as unknown as Record<Variant, Runs>;
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        const stacks: Stack[] = [];
        try {
          for (const variant of VARIANTS) stacks.push(await startStack(variant, receiver.url));
          // The stacks of an epoch stay up (the idle ones cost nothing measurable) and take turns: a
          // round is one short burst each, back to back, so a round's ratio compares runs seconds apart
          // (this VM's speed drifts by ±20 % over minutes). The order rotates per round so no variant
          // always runs first after an idle pause. One unmeasured round first: JIT and heap sizing.
          if (!quick) for (const stack of stacks) await stack.clients.burst(seconds);
          for (let round = 0; round < roundsPerEpoch; round++) {
            for (let i = 0; i < stacks.length; i++) {
              const stack = stacks[(round + i) % stacks.length] as Stack;
              const { callsPerSecond, latenciesMs, cpuMsPerCall } = await burst(stack, seconds);
              runs[stack.variant].rates.push(callsPerSecond);
              runs[stack.variant].cpuMsPerCall.push(cpuMsPerCall);
              runs[stack.variant].latenciesMs.push(...latenciesMs);
              receiver.clear();
            }
            const done = epoch * roundsPerEpoch + round + 1;
            progress(`mcp: round ${done}/${epochs * roundsPerEpoch}: ${VARIANTS.map((v) => `${v} ${runs[v].rates.at(-1)?.toFixed(0)}/s`).join(', ')}`);
          }
        } finally {
          for (const stack of stacks) await stack.stop();
        }
      }
    } finally {
      await receiver.stop();
    }
    const rounds = epochs * roundsPerEpoch;
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
