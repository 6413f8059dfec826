// audit.record with its durability guarantee on (each call resolves only after the event is
// fdatasync'd to the spool; a no-op sender drains the spool in the background, as the collector
// would) against plain logging (getLogger's createLogger, same process, a no-op sink), same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAudit } from '@lookout/audit';
import { createLogger } from '@lookout/logger';
import { percentile } from '../stats.ts';
import type { BenchCase, BenchOptions } from '../case.ts';

const EVENT = {
  action: 'mcp.tool.invoke',
  actor: { type: 'api_key', id: '0123456789abcdef' },
  target: { type: 'tool', id: 'review_diff' },
  outcome: 'success',
  metadata: { duration_ms: 12, arguments: { sha256: 'a'.repeat(64), bytes: 2048, sizes: { diff: 2040 } } },
} as const;

interface Measured {
  perSecond: number;
  p50Us: number;
  p99Us: number;
}

function summarise(latenciesMs: number[], elapsedMs: number): Measured {
  return {
    perSecond: (latenciesMs.length / elapsedMs) * 1000,
    p50Us: percentile(latenciesMs, 50) * 1000,
    p99Us: percentile(latenciesMs, 99) * 1000,
  };
}

function measureLogging(count: number): Measured {
  const log = createLogger({ destination: { write() {} }, level: 'info', service: 'bench' }).child({ logger: 'bench' });
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    log.info({ tool: 'review_diff', outcome: 'success', duration_ms: 12 }, 'mcp request handled');
    latencies.push(performance.now() - t);
  }
  return summarise(latencies, performance.now() - start);
}

/**
 * `concurrency` callers, each awaiting its records in turn. 1 is an operator's CLI or one MCP request at a
 * time; more are concurrent MCP requests, where group commit shares each fdatasync.
 */
async function measureRecords(count: number, concurrency: number): Promise<Measured> {
  const spoolDir = mkdtempSync(join(tmpdir(), 'bench-audit-'));
  const audit = await createAudit({ spoolDir, service: 'bench', sender: async () => {} });
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const t = performance.now();
        await audit.record(EVENT);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const result = summarise(latencies, performance.now() - start);
  await audit.close();
  rmSync(spoolDir, { recursive: true, force: true });
  return result;
}

const row = (label: string, m: Measured) => ({
  label,
  values: { 'per s': Math.round(m.perSecond), 'p50 µs': Math.round(m.p50Us), 'p99 µs': Math.round(m.p99Us) },
});

export const audit: BenchCase = {
  name: 'audit',
  description: 'audit.record (fsync-durable spool) throughput and p99, sequential and 32 concurrent, vs plain logging (no-op sink)',
  async run({ quick, progress }: BenchOptions) {
    const logLines = quick ? 20_000 : 200_000;
    const sequentialEvents = quick ? 300 : 3_000;
    const concurrentEvents = quick ? 2_000 : 20_000;
    measureLogging(Math.min(logLines, 10_000)); // warm-up
    const logging = measureLogging(logLines);
    progress('audit: logging measured');
    await measureRecords(Math.min(sequentialEvents, 100), 1); // warm-up
    const sequential = await measureRecords(sequentialEvents, 1);
    progress('audit: sequential record measured');
    const concurrent = await measureRecords(concurrentEvents, 32);
    progress('audit: concurrent record measured');
    const ratio = (name: string, value: number) => ({ name, value, target: 'reported', met: true });
    return {
      rows: [row('logging (no-op sink)', logging), row('audit.record, sequential', sequential), row('audit.record, 32 at once', concurrent)],
      ratios: [
        // Inverted (how many log lines one durable event costs), so the figure is readable at 2 decimals.
        ratio('throughput, logging / record sequential', logging.perSecond / sequential.perSecond),
        ratio('throughput, logging / record 32 at once', logging.perSecond / concurrent.perSecond),
        ratio('p99, record sequential / logging', sequential.p99Us / logging.p99Us),
        ratio('p99, record 32 at once / logging', concurrent.p99Us / logging.p99Us),
      ],
    };
  },
};
