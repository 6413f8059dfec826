// Sends generated requests with bounded concurrency and judges each answer: no 5xx, and every 4xx
// is JSON that says what was wrong. Keeps counts per class for the report and a few samples per fault.
import { fuzzRequest, type FuzzContext, type FuzzRequest, type FuzzService } from './fuzz-classes.test-support.ts';
import { rngFor } from './prng.test-support.ts';

export interface FuzzFailure {
  index: number;
  variant: string;
  problem: string;
  status: number;
  /** The start of the request body and the answer, for the report. */
  request: string;
  answer: string;
}

export interface FuzzReport {
  seed: number;
  sent: number;
  /** Per class: requests sent and answers per HTTP status (0: no answer). */
  byClass: Record<string, { sent: number; statuses: Record<string, number> }>;
  failures: FuzzFailure[];
  /** Failures per `variant: problem`, all of them counted (samples are capped). */
  failureCounts: Record<string, number>;
}

/** A 2xx to a batch of `size` requests: an array with a response for each (ids may repeat). */
function judgeBatch(body: string, size: number): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'a batch answered with a body that is not JSON';
  }
  // Without the counts, so one fault is one entry of the report whatever the batch size.
  if (!Array.isArray(parsed)) return 'a batch answered with a single response, not an array';
  if (parsed.length === size) return undefined;
  return `a batch answered with ${parsed.length < size ? 'fewer' : 'more'} responses than requests`;
}

/**
 * What is wrong with an answer, or undefined. 2xx may be empty (202 to notifications), except for a
 * batch of `batchSize` requests, which gets one response each.
 */
export function judgeAnswer(status: number, body: string, batchSize?: number): string | undefined {
  if (status === 0) return 'no answer (connection failed)';
  if (status >= 500) return `HTTP ${status}`;
  if (status < 400) return batchSize && status < 300 ? judgeBatch(body, batchSize) : undefined;
  if (body.trim() === '') return `HTTP ${status} with an empty body`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `HTTP ${status} with a body that is not JSON`;
  }
  const error = (parsed as { error?: { message?: unknown } } | null)?.error;
  const message = typeof error === 'object' && error !== null ? error.message : undefined;
  return typeof message === 'string' && message.trim() !== '' ? undefined : `HTTP ${status} with a JSON body that explains nothing`;
}

const preview = (value: unknown, length = 160) => {
  const text = typeof value === 'string' ? value : value instanceof Uint8Array ? `<${value.length} bytes>` : '';
  return text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text;
};

async function send(request: FuzzRequest, urlOf: (service: FuzzService, path: string) => string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(urlOf(request.service, request.path), {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(60_000),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { status: 0, body: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}

export interface FuzzRunOptions {
  seed: number;
  count: number;
  /** Requests in flight at once. */
  concurrency: number;
  context: FuzzContext;
  urlOf(service: FuzzService, path: string): string;
  /** Samples kept per `variant: problem`; default 3. */
  samplesPerFault?: number;
}

/** Sends `count` requests, request i made from rngFor(seed, i): the same seed replays the same traffic. */
export async function runFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const { seed, count, concurrency, context, urlOf, samplesPerFault = 3 } = options;
  const report: FuzzReport = { seed, sent: 0, byClass: {}, failures: [], failureCounts: {} };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const request = fuzzRequest(index, rngFor(seed, index), context);
      const answer = await send(request, urlOf);
      report.sent++;
      const stats = (report.byClass[request.kind] ??= { sent: 0, statuses: {} });
      stats.sent++;
      stats.statuses[answer.status] = (stats.statuses[answer.status] ?? 0) + 1;
      const problem = judgeAnswer(answer.status, answer.body, request.batchSize);
      if (!problem) continue;
      const key = `${request.variant}: ${problem}`;
      report.failureCounts[key] = (report.failureCounts[key] ?? 0) + 1;
      if (report.failureCounts[key] <= samplesPerFault) {
        report.failures.push({ index, variant: request.variant, problem, status: answer.status, request: `${request.method} ${request.service}${preview(request.path, 80)} ${preview(request.body)}`, answer: preview(answer.body) });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return report;
}

/** The report as lines for the test output: the seed, counts per class and status, then the faults. */
export function formatFuzzReport(report: FuzzReport): string {
  const lines = [`fuzz: seed ${report.seed} (replay with LOOKOUT_FUZZ_SEED=${report.seed}), ${report.sent} requests`];
  for (const [kind, stats] of Object.entries(report.byClass).sort()) {
    const statuses = Object.entries(stats.statuses).map(([status, n]) => `${status}×${n}`).join(' ');
    lines.push(`  ${kind.padEnd(22)} ${String(stats.sent).padStart(5)}  ${statuses}`);
  }
  for (const [fault, n] of Object.entries(report.failureCounts)) lines.push(`  FAULT ${n}× ${fault}`);
  return lines.join('\n');
}

/** Polls /health/ready of every service until stopped; remembers every answer that was not 200. */
export function watchHealth(services: readonly FuzzService[], urlOf: (service: FuzzService, path: string) => string, everyMs = 250) {
  const problems: string[] = [];
  let polls = 0;
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      await Promise.all(
        services.map(async (service) => {
          const { status, body } = await send({ kind: 'health', variant: 'health', service, method: 'GET', path: '/health/ready', headers: {} }, urlOf);
          if (status !== 200) problems.push(`${service} /health/ready: ${status} ${preview(body)}`);
        }),
      );
      polls++;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };
  const running = poll();
  return {
    problems,
    get polls() {
      return polls;
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}
