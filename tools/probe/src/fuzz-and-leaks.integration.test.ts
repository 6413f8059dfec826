// The outside probe of issue 12, kept as a bounded suite on one stack start (Redis, reviewer, worker,
// mcp-server with the bootstrap, a real collector in test mode):
//  1. malformed MCP traffic: LOOKOUT_FUZZ_REQUESTS (default 10,000) requests from a seeded PRNG
//     (LOOKOUT_FUZZ_SEED replays a run), 16 in flight; no 5xx, every 4xx is JSON that explains, every
//     service stays ready during and after;
//  2. secret leaks: every secret of the corpus through every input path (headers, baggage, tracestate,
//     query, paths, JSON-RPC ids and methods, tool names, argument names and values, _meta, CLI flags),
//     then every sink searched (service output, what the services exported before the collector masked
//     anything, the collector's file per signal and for audit, the audit spools, Redis, every answer)
//     for the raw value and distinctive pieces.
// The counts go to the test output for the closing note of the issue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_CORPUS } from '@lookout/logger/testing';
import { collectorMissing, redisMissing } from '@lookout/testkit';
import type { FuzzService } from './fuzz-classes.test-support.ts';
import { formatFuzzReport, runFuzz, watchHealth, type FuzzReport } from './fuzz-send.test-support.ts';
import { PROBED_SERVICES, startProbeStack, type ProbeStack } from './probe-stack.test-support.ts';
import { fuzzSeed } from './prng.test-support.ts';
import { sendSecretsThroughEveryPath, type InputReport } from './secret-inputs.test-support.ts';
import { collectSinks, formatHits, needlesFor, searchSinks, settleCollectorFiles, type SinkReport } from './secret-sinks.test-support.ts';

const skip = collectorMissing() ?? redisMissing();
const FUZZ_REQUESTS = Number(process.env.LOOKOUT_FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 16;
/** The mcp-server's default LOOKOUT_MAX_BODY_BYTES. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Each secret's raw value and the pieces that identify it. */
const NEEDLES = needlesFor(SECRET_CORPUS);

describe.skipIf(skip)('the probe: malformed traffic and secret leaks against the running platform', () => {
  let probe: ProbeStack;
  const urlOf = (service: FuzzService, path: string) => probe.url(service, path);
  const ready = async () =>
    Object.fromEntries(await Promise.all(PROBED_SERVICES.map(async (s) => [s, (await fetch(urlOf(s, '/health/ready'))).status] as const)));
  const allReady = Object.fromEntries(PROBED_SERVICES.map((s) => [s, 200]));

  beforeAll(async () => {
    probe = await startProbeStack();
  }, 120_000);
  afterAll(async () => {
    await probe?.stop();
  }, 60_000);

  // ---------------------------------------------------------------- malformed traffic
  describe(`${FUZZ_REQUESTS} malformed requests`, () => {
    let report: FuzzReport;
    let health: ReturnType<typeof watchHealth>;

    beforeAll(async () => {
      const seed = fuzzSeed();
      process.stdout.write(`fuzz: seed ${seed}\n`);
      health = watchHealth(PROBED_SERVICES, urlOf);
      const startedAt = Date.now();
      try {
        report = await runFuzz({
          seed,
          count: FUZZ_REQUESTS,
          concurrency: CONCURRENCY,
          urlOf,
          context: { apiKey: probe.stack.ctx.apiKey, payloads: SECRET_CORPUS.map((s) => s.text), maxBodyBytes: MAX_BODY_BYTES },
        });
      } finally {
        await health.stop();
      }
      process.stdout.write(`${formatFuzzReport(report)}\nfuzz: ${health.polls} readiness polls of ${PROBED_SERVICES.length} services during the run; ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
    }, 240_000);

    it('sent every request, every class its share', () => {
      expect(report.sent).toBe(FUZZ_REQUESTS);
      expect(FUZZ_REQUESTS).toBeGreaterThanOrEqual(10_000);
      for (const [kind, stats] of Object.entries(report.byClass)) expect(stats.sent, kind).toBeGreaterThanOrEqual(Math.floor(FUZZ_REQUESTS / 20));
    });

    /** The faults whose problem matches, with their counts; samples (request and answer) for the message. */
    const faults = (problem: RegExp) => Object.fromEntries(Object.entries(report.failureCounts).filter(([fault]) => problem.test(fault.replace(/^[^:]+: /, ''))));
    const samples = (problem: RegExp) => report.failures.filter((f) => problem.test(f.problem)).map((f) => `#${f.index} ${f.variant}: ${f.request} -> ${f.status} ${f.answer}`);
    const SERVER_FAULT = /^(HTTP 5|no answer)/;
    const SILENT_REFUSAL = /^HTTP 4\d\d with/;
    const BATCH = /^a batch/;

    it('answers every request, never with a 5xx', () => {
      expect(faults(SERVER_FAULT), samples(SERVER_FAULT).join('\n')).toEqual({});
    });

    it('refuses with a JSON body that says what was wrong, every time', () => {
      expect(faults(SILENT_REFUSAL), samples(SILENT_REFUSAL).join('\n')).toEqual({});
    });

    it('answers a batch with one response per request, or refuses it whole', () => {
      expect(faults(BATCH), samples(BATCH).join('\n')).toEqual({});
    });

    it('judged every fault it found under one of the rules above', () => {
      expect(Object.keys(report.failureCounts).filter((f) => ![SERVER_FAULT, SILENT_REFUSAL, BATCH].some((rule) => rule.test(f.replace(/^[^:]+: /, ''))))).toEqual([]);
    });

    it('keeps every service ready during and after the run', async () => {
      expect(health.polls).toBeGreaterThan(0);
      expect(health.problems.slice(0, 10)).toEqual([]);
      expect(await ready()).toEqual(allReady);
      for (const started of probe.stack.started) expect(started.process.child.exitCode, started.component.name).toBeNull();
    });
  });

  // ---------------------------------------------------------------- secret leaks
  describe(`${SECRET_CORPUS.length} secret shapes through every input path`, () => {
    let inputs: InputReport;
    let sinks: SinkReport;

    beforeAll(async () => {
      const times = [Date.now()];
      inputs = await sendSecretsThroughEveryPath({ probe, corpus: SECRET_CORPUS });
      times.push(Date.now());
      await settleCollectorFiles(probe);
      times.push(Date.now());
      sinks = await collectSinks(probe, inputs);
      times.push(Date.now());
      process.stdout.write(`secrets: inputs ${times[1]! - times[0]!} ms, settle ${times[2]! - times[1]!} ms, read sinks ${times[3]! - times[2]!} ms\n`);
      const noted = formatHits(searchSinks(sinks.informational, NEEDLES));
      process.stdout.write(`${inputs.summary()}\n${sinks.summary()}\nnot asserted (job diffs kept in Redis; what the CLI printed to its operator):\n  ${noted.join('\n  ')}\n`);
    }, 240_000);

    it('sent every secret through every path, and the services answered', () => {
      expect(inputs.paths.length).toBeGreaterThanOrEqual(20);
      expect(inputs.sent).toBeGreaterThanOrEqual(SECRET_CORPUS.length * 20);
      expect(inputs.unanswered.slice(0, 10)).toEqual([]);
    });

    it('echoes no secret in an answer header (x-request-id, www-authenticate...)', () => {
      expect(formatHits(searchSinks(sinks.answers.filter((a) => a.group === 'answer headers'), NEEDLES))).toEqual([]);
    });

    it('echoes no secret in an answer body: tool results, JSON-RPC and HTTP errors', () => {
      expect(formatHits(searchSinks(sinks.answers.filter((a) => a.group === 'answers'), NEEDLES))).toEqual([]);
    });

    // The one place a secret may show: a finding about the diff line holding it, which never quotes
    // it (the answers above were searched for every secret, the review_diff answer included).
    it('reports every secret inside a reviewed diff as a finding on its line, without quoting it', () => {
      expect(inputs.secretFindings).toBeGreaterThan(0);
      expect(inputs.secretsNotFound).toEqual([]);
    });

    const STORES = ['service output', 'exported traces', 'exported metrics', 'exported logs', 'collector traces', 'collector metrics', 'collector logs', 'collector audit', 'audit spools', 'redis'];
    for (const group of STORES) {
      it(`lets no secret reach ${group}`, () => {
        const searched = sinks.stores.filter((s) => s.group === group);
        expect(searched.length, `${group} was read`).toBeGreaterThan(0);
        expect(searched.reduce((n, s) => n + s.text.length, 0), `${group} holds data`).toBeGreaterThan(0);
        expect(formatHits(searchSinks(searched, NEEDLES))).toEqual([]);
      }, 60_000); // a search of every needle through megabytes of export files: seconds on a busy machine
    }

    it('keeps every service ready after the secrets', async () => {
      expect(await ready()).toEqual(allReady);
    });
  });
});
