// One probe run: a fresh MCP SDK client with the canary's key, one attempt under a deadline, one
// verdict, recorded as metrics, a span and a log line, all marked lookout.synthetic=true so
// user-facing dashboards can leave them out. Rounds run review, job, digest in that order (the
// digest checks the job) every interval, jittered by ±20 % so canaries do not beat in step.
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { InstrumentsFor } from '@lookout/catalog';
import type { Logger } from '@lookout/logger';
import { classify, type FailureReason } from './failure.ts';
import { digestProbe, jobProbe, reviewProbe, type ProbeContext, type ProbeName } from './probes.ts';
import { runContext } from './trace-id.ts';

export const SYNTHETIC = { 'lookout.synthetic': true } as const;

export interface RunnerOptions {
  mcpUrl: string;
  token: string;
  deadlineMs: number;
  jobDeadlineMs: number;
  instruments: InstrumentsFor<'canary'>;
  tracer: Tracer;
  logger: Logger;
}

export interface ProbeVerdict {
  probe: ProbeName;
  ok: boolean;
  reason?: FailureReason;
  seconds: number;
}

export function createRunner(options: RunnerOptions) {
  const { instruments, tracer, logger } = options;
  const last = new Map<ProbeName, boolean>();
  let lastCompletedJobAt: number | undefined;
  instruments.probeSuccess.addCallback((gauge) => {
    for (const [probe, ok] of last) gauge.observe(ok ? 1 : 0, { probe });
  });

  async function attempt(probe: ProbeName, ctx: ProbeContext): Promise<void> {
    if (probe === 'review') return reviewProbe(ctx);
    if (probe === 'job') {
      lastCompletedJobAt = await jobProbe(ctx);
      return;
    }
    return digestProbe({ ...ctx, lastCompletedJobAt });
  }

  async function run(probe: ProbeName): Promise<ProbeVerdict> {
    return tracer.startActiveSpan(`canary ${probe}`, { kind: SpanKind.INTERNAL, attributes: { ...SYNTHETIC, 'lookout.canary.probe': probe } }, runContext(), async (span) => {
      const started = performance.now();
      const signal = AbortSignal.timeout(probe === 'job' ? options.jobDeadlineMs : options.deadlineMs);
      const client = new Client({ name: 'lookout-canary', version: '0.1.0' });
      const transport = new StreamableHTTPClientTransport(new URL(options.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${options.token}` } } });
      let reason: FailureReason | undefined;
      try {
        await client.connect(transport, { signal, timeout: 60_000 });
        await attempt(probe, { client, signal });
      } catch (error) {
        // The deadline may surface as whatever the aborted call threw: the deadline decides.
        reason = signal.aborted ? 'timeout' : classify(error);
        span.setAttribute('error.type', reason);
        span.setStatus({ code: SpanStatusCode.ERROR, message: `${probe} probe failed: ${reason}` });
      } finally {
        await client.close().catch(() => undefined);
        span.end();
      }
      const seconds = (performance.now() - started) / 1000;
      const ok = reason === undefined;
      last.set(probe, ok);
      instruments.probeDuration.record(seconds, { probe });
      instruments.canaryRuns.add(1, { probe, outcome: ok ? 'success' : 'failure' });
      if (reason) {
        instruments.canaryFailures.add(1, { probe, reason });
        logger.warn({ ...SYNTHETIC, probe, reason, duration_s: seconds }, 'canary probe failed');
      } else {
        logger.info({ ...SYNTHETIC, probe, duration_s: seconds }, 'canary probe succeeded');
      }
      return { probe, ok, reason, seconds };
    });
  }

  /** One round: every probe once, in order. */
  const round = async (): Promise<ProbeVerdict[]> => [await run('review'), await run('job'), await run('digest')];
  return { run, round };
}

/** The pause before the next round: the interval ±20 %. */
export const jittered = (intervalMs: number, random: () => number = Math.random) => Math.round(intervalMs * (0.8 + 0.4 * random()));

/** Runs rounds until stopped; returns the stop function, which waits for the round in flight. */
export function startRounds(round: () => Promise<unknown>, intervalMs: number, logger: Logger): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const next = () => {
    if (stopped) return;
    current = round().catch((error: unknown) => logger.error({ ...SYNTHETIC, err: error }, 'canary round failed unexpectedly'));
    void current.then(() => {
      if (!stopped) timer = setTimeout(next, jittered(intervalMs));
    });
  };
  next();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}
