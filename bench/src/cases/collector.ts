// The real OpenTelemetry Collector in test mode (every pipeline writes OTLP/JSON lines to files):
// (a) how many spans and log records per second it takes in and writes out, with nothing lost;
// (b) the services' review_diff p99 with the collector reachable vs killed, in one run.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { components, type StackContext } from '@lookout/stack/components';
import { devApiKey } from '@lookout/stack/dev-key';
import { startComponent, stopAll, type Started } from '@lookout/stack/supervisor';
import { collectorMissing, freePort, startCollector, waitUntil, type TestCollector } from '@lookout/testkit';
import { CONCURRENCY, reviewDiffLoad } from '../mcp-load.ts';
import { median, percentile } from '../stats.ts';
import type { BenchCase, BenchOptions, BenchResult } from '../case.ts';

type Collector = TestCollector;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const ITEMS_PER_BATCH = 100;

// ------------------------------------------------------------------ (a) throughput, zero loss

type Signal = 'traces' | 'logs';
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const str = (value: string) => ({ stringValue: value });

/** One OTLP/JSON export request of ITEMS_PER_BATCH spans or log records, shaped like a service's. */
function batch(signal: Signal, runId: string): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const resource = { attributes: [{ key: 'service.name', value: str('bench-load') }, { key: 'bench.run', value: str(runId) }] };
  const attributes = [
    { key: 'http.request.method', value: str('POST') },
    { key: 'url.path', value: str('/mcp') },
    { key: 'request_id', value: str(hex(16)) },
  ];
  if (signal === 'traces') {
    const traceId = hex(16);
    const spans = Array.from({ length: ITEMS_PER_BATCH }, () => ({
      traceId,
      spanId: hex(8),
      name: 'POST /mcp',
      kind: 2,
      startTimeUnixNano: String(now),
      endTimeUnixNano: String(now + 3_000_000n),
      attributes,
      status: {},
    }));
    return JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'bench' }, spans }] }] });
  }
  const logRecords = Array.from({ length: ITEMS_PER_BATCH }, () => ({
    timeUnixNano: String(now),
    severityNumber: 9,
    severityText: 'info',
    body: str('mcp request handled'),
    traceId: hex(16),
    spanId: hex(8),
    attributes,
  }));
  return JSON.stringify({ resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'bench' }, logRecords }] }] });
}

/** Counts this run's spans or log records in the collector's output file, reading only what was appended. */
function writtenCounter(collector: Collector, signal: Signal, runId: string): () => number {
  const path = join(collector.outDir, `${signal}.jsonl`);
  let offset = 0;
  let count = 0;
  return () => {
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return count; // not written yet
    }
    if (size <= offset) return count;
    const fd = openSync(path, 'r');
    try {
      const chunk = Buffer.alloc(size - offset);
      const read = readSync(fd, chunk, 0, chunk.length, offset);
      const end = chunk.subarray(0, read).lastIndexOf(0x0a); // only whole lines
      if (end < 0) return count;
      offset += end + 1;
      for (const line of chunk.subarray(0, end).toString('utf8').split('\n')) {
        if (!line.includes(runId)) continue;
        const request = JSON.parse(line) as Record<string, { scopeSpans?: { spans?: unknown[] }[]; scopeLogs?: { logRecords?: unknown[] }[] }[]>;
        for (const resource of request.resourceSpans ?? request.resourceLogs ?? []) {
          for (const scope of resource.scopeSpans ?? []) count += scope.spans?.length ?? 0;
          for (const scope of resource.scopeLogs ?? []) count += scope.logRecords?.length ?? 0;
        }
      }
    } finally {
      closeSync(fd);
    }
    return count;
  };
}

/** Posts `batches` requests with CONCURRENCY in flight; the rate counts until the last item is in the file. */
async function throughput(collector: Collector, signal: Signal, batches: number): Promise<{ sent: number; written: number; perSecond: number }> {
  const runId = hex(8);
  const bodies = Array.from({ length: batches }, () => batch(signal, runId));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const res = await fetch(`${collector.otlpHttpUrl}/v1/${signal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (!res.ok) throw new Error(`bench: the collector answered ${res.status} to /v1/${signal}: ${(await res.text()).slice(0, 200)}`);
        await res.arrayBuffer();
      }
    }),
  );
  const sent = batches * ITEMS_PER_BATCH;
  const counter = writtenCounter(collector, signal, runId);
  let written = 0;
  await waitUntil(`${sent} ${signal} items in the collector's file`, () => (written = counter()) >= sent, {
    timeoutMs: 60_000,
    intervalMs: 50,
  }).catch(() => undefined); // a shortfall is reported as loss, not thrown
  const seconds = (performance.now() - started) / 1000;
  return { sent, written, perSecond: written / seconds };
}

// ------------------------------------------------------------------ (b) latency, collector up vs down

type Reachability = 'reachable' | 'unreachable';

async function latencyUpVsDown(collector: Collector, seconds: number, progress: (line: string) => void) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-bench-collector-'));
  mkdirSync(join(dataDir, 'redis'), { recursive: true });
  const ports = new Map<string, number>();
  for (const c of components) ports.set(c.name, await freePort());
  const ctx: StackContext = {
    repoRoot,
    dataDir,
    port: (name) => ports.get(name) ?? 0,
    redisUrl: `redis://127.0.0.1:${ports.get('redis')}`,
    apiKey: devApiKey(dataDir),
  };
  // The bootstrap's defaults (10% sampling, OTLP to the collector), with the test cadence of exports.
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BLRP_SCHEDULE_DELAY: '200',
    LOOKOUT_LOG_LEVEL: 'warn',
  });
  const started: Started[] = [];
  const runs: Record<Reachability, { rates: number[]; latenciesMs: number[] }> = { reachable: { rates: [], latenciesMs: [] }, unreachable: { rates: [], latenciesMs: [] } };
  try {
    for (const name of ['redis', 'reviewer', 'mcp-server']) started.push(await startComponent(components.find((c) => c.name === name)!, ctx, 30_000));
    const mcpUrl = `http://127.0.0.1:${ctx.port('mcp-server')}/mcp`;
    await reviewDiffLoad(mcpUrl, ctx.apiKey, Math.min(2, seconds)); // warm-up: JIT, connection pools
    // A B A B: drift on a shared machine touches both alike. Down = SIGKILL, as a crash would.
    for (const state of ['reachable', 'unreachable', 'reachable', 'unreachable'] as Reachability[]) {
      if (state === 'unreachable') await collector.kill();
      else if (runs.unreachable.rates.length > 0) await collector.restart();
      const latenciesMs = await reviewDiffLoad(mcpUrl, ctx.apiKey, seconds);
      progress(`collector (${state}): ${latenciesMs.length} review_diff calls in ${seconds} s`);
      runs[state].rates.push(latenciesMs.length / seconds);
      runs[state].latenciesMs.push(...latenciesMs);
    }
  } finally {
    await stopAll(started, () => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
  return runs;
}

export const collector: BenchCase = {
  name: 'collector',
  description: `real collector (test mode): spans and log records/s in == out; review_diff p99 with the collector up vs killed (${CONCURRENCY} clients)`,
  async run({ quick, progress }: BenchOptions): Promise<BenchResult> {
    const missing = collectorMissing();
    if (missing) throw new Error(`bench collector: ${missing}`);
    const batches = quick ? 200 : 1000;
    const seconds = quick ? 3 : 10;
    const savedEnv = { ...process.env };
    let instance = await startCollector({ config: 'test' });
    try {
      const spans = await throughput(instance, 'traces', batches);
      progress(`collector: ${spans.written}/${spans.sent} spans at ${spans.perSecond.toFixed(0)}/s`);
      const logs = await throughput(instance, 'logs', batches);
      progress(`collector: ${logs.written}/${logs.sent} log records at ${logs.perSecond.toFixed(0)}/s`);
      // A fresh collector for (b), so (a)'s files do not weigh on it.
      await instance.stop();
      instance = await startCollector({ config: 'test' });
      const runs = await latencyUpVsDown(instance, seconds, progress);
      const p99 = (s: Reachability) => percentile(runs[s].latenciesMs, 99);
      const rate = (s: Reachability) => median(runs[s].rates);
      const p99Ratio = p99('unreachable') / p99('reachable');
      const rateRatio = rate('unreachable') / rate('reachable');
      return {
        rows: [
          { label: 'spans in -> out', values: { sent: spans.sent, written: spans.written, 'items/s': spans.perSecond.toFixed(0) } },
          { label: 'log records in -> out', values: { sent: logs.sent, written: logs.written, 'items/s': logs.perSecond.toFixed(0) } },
          ...(['reachable', 'unreachable'] as Reachability[]).map((s) => ({
            label: `collector ${s}`,
            values: { 'calls/s (median of 2)': rate(s).toFixed(0), 'p50 ms': percentile(runs[s].latenciesMs, 50).toFixed(1), 'p99 ms': p99(s).toFixed(1) },
          })),
        ],
        ratios: [
          { name: 'spans written / sent', value: spans.written / spans.sent, target: '= 1.00', met: spans.written === spans.sent },
          { name: 'log records written / sent', value: logs.written / logs.sent, target: '= 1.00', met: logs.written === logs.sent },
          { name: 'p99 latency, collector killed / reachable', value: p99Ratio, target: '<= 1.20', met: p99Ratio <= 1.2 },
          { name: 'throughput, collector killed / reachable', value: rateRatio, target: '>= 0.90', met: rateRatio >= 0.9 },
        ],
      };
    } finally {
      await instance.stop();
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
      Object.assign(process.env, savedEnv);
    }
  },
};
