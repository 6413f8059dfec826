// runReview: parse the diff, run each enabled module in isolation, record catalog metrics.
// A module that throws fails alone: its failure becomes an error finding, is counted in
// lookout.review.module.failures, and the other modules still run.
import { metrics, SpanStatusCode, trace, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { createInstruments, REVIEW_MODULES, type InstrumentsFor } from '@lookout/catalog';
import { parseUnifiedDiff } from './diff.ts';
import { defaultModules } from './modules/index.ts';
import { REVIEW_FAULT } from './fault.ts';
import { parseReviewOptions, type ReviewOptions } from './options.ts';
import type { Finding, ModuleFinding, ReviewModule, Severity } from './types.ts';

export type ReviewerInstruments = InstrumentsFor<'reviewer'>;
export type ReviewOutcome = 'success' | 'partial' | 'failure';
export type ModuleOutcome = 'success' | 'failure';

export interface ModuleReport {
  readonly name: string;
  readonly outcome: ModuleOutcome;
  readonly durationSeconds: number;
}

export interface ReviewResult {
  readonly findings: readonly Finding[];
  /** success: every enabled module ran; partial: some failed; failure: all failed. */
  readonly outcome: ReviewOutcome;
  readonly durationSeconds: number;
  /** Enabled modules in run order. Disabled ones are absent. */
  readonly modules: readonly ModuleReport[];
}

export interface ReviewDeps {
  /** Default: created once from the global MeterProvider on first use. */
  readonly instruments?: ReviewerInstruments;
  /** Default: trace.getTracer('@lookout/reviewer') (no-op spans without an SDK). */
  readonly tracer?: Tracer;
  /** Default: the four built-in modules. */
  readonly modules?: readonly ReviewModule[];
}

export const TRACER_NAME = '@lookout/reviewer';
const KNOWN_MODULES: ReadonlySet<string> = new Set(REVIEW_MODULES);
// Error names go into findings, spans and metrics; anything odd-looking is reduced to "Error".
const ERROR_NAME = /^[A-Za-z_$][\w$.]{0,63}$/;

let globalInstruments: ReviewerInstruments | undefined;
// Lazy: the metrics API has no proxy meter, so instruments made before the SDK registers
// would be no-ops forever. By the first review, the bootstrap has registered it.
function defaultInstruments(): ReviewerInstruments {
  globalInstruments ??= createInstruments(metrics.getMeter(TRACER_NAME), 'reviewer');
  return globalInstruments;
}

let globalTracer: Tracer | undefined;
// Once: a getTracer call on every review showed in profiles. Before the SDK registers this is the
// API's proxy tracer, which finds the real one on first use.
const defaultTracer = (): Tracer => (globalTracer ??= trace.getTracer(TRACER_NAME));

const moduleLabel = (name: string) => (KNOWN_MODULES.has(name) ? (name as (typeof REVIEW_MODULES)[number]) : 'other');

function errorName(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  return ERROR_NAME.test(name) ? name : 'Error';
}

function isEnabled(module: ReviewModule, options: ReviewOptions): boolean {
  const config = (options.modules as Record<string, { enabled?: boolean } | undefined>)[module.name];
  return config?.enabled ?? true;
}

const seconds = (start: number) => (performance.now() - start) / 1000;

/**
 * tracer.startActiveSpan, except under a span that is not recording (a trace the sampler left out,
 * nine in ten): a child would record nothing either, and starting one still costs ids, a context
 * frame and attribute work on every review. fn then gets a stand-in that records nothing.
 */
function inSpan<T>(tracer: Tracer, name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = trace.getActiveSpan();
  if (parent !== undefined && !parent.isRecording()) return fn(trace.wrapSpanContext(parent.spanContext()));
  return tracer.startActiveSpan(name, options, fn);
}

function overallOutcome(reports: readonly ModuleReport[]): ReviewOutcome {
  const failed = reports.filter((r) => r.outcome === 'failure').length;
  if (failed === 0) return 'success';
  return failed === reports.length ? 'failure' : 'partial';
}

function countBySeverity(found: readonly ModuleFinding[]): Map<Severity, number> {
  const counts = new Map<Severity, number>();
  for (const f of found) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return counts;
}

interface ModuleRun {
  readonly report: ModuleReport;
  readonly findings: readonly Finding[];
}

async function runModule(
  module: ReviewModule,
  input: Parameters<ReviewModule['run']>[0],
  tracer: Tracer,
  m: ReviewerInstruments,
): Promise<ModuleRun> {
  const label = moduleLabel(module.name);
  return inSpan(tracer, `review.module ${module.name}`, { attributes: { 'lookout.review.module': module.name } }, async (span): Promise<ModuleRun> => {
    const start = performance.now();
    try {
      const found = await module.run(input);
      const durationSeconds = seconds(start);
      m.reviewModuleDuration.record(durationSeconds, { module: label, outcome: 'success' });
      for (const [severity, count] of countBySeverity(found)) m.reviewFindings.add(count, { module: label, severity });
      span.setAttribute('lookout.review.findings', found.length);
      return {
        report: { name: module.name, outcome: 'success', durationSeconds },
        findings: found.map((f) => ({ module: module.name, severity: f.severity, file: f.file, line: f.line, message: f.message })),
      };
    } catch (error) {
      const durationSeconds = seconds(start);
      const name = errorName(error);
      m.reviewModuleDuration.record(durationSeconds, { module: label, outcome: 'failure' });
      m.reviewModuleFailures.add(1, { module: label });
      // Only the error's name: its message or stack may quote the diff, secrets included.
      span.setAttribute('error.type', name);
      span.setStatus({ code: SpanStatusCode.ERROR, message: `module failed: ${name}` });
      return {
        report: { name: module.name, outcome: 'failure', durationSeconds },
        findings: [{ module: module.name, severity: 'error', file: null, line: null, message: `module failed: ${name}` }],
      };
    } finally {
      span.end();
    }
  });
}

/**
 * Reviews a unified diff. `options` is validated (ZodError on bad input) and defaulted, see
 * options.ts. Findings come in module order, each module's in diff order.
 * Throws InvalidDiffError for input that is not a diff: a caller's mistake, so it is not
 * counted as a review (the HTTP layer answers 400).
 */
export async function runReview(diff: string, options: unknown = {}, deps: ReviewDeps = {}): Promise<ReviewResult> {
  const parsedOptions = parseReviewOptions(options);
  const m = deps.instruments ?? defaultInstruments();
  const tracer = deps.tracer ?? defaultTracer();
  const modules = (deps.modules ?? defaultModules).filter((module) => isEnabled(module, parsedOptions));

  const start = performance.now();
  const files = parseUnifiedDiff(diff);
  return inSpan(tracer, 'review', {}, async (span): Promise<ReviewResult> => {
    try {
      span.setAttribute('lookout.review.files', files.length);
      const input = { files, options: parsedOptions };
      const findings: Finding[] = [];
      const reports: ModuleReport[] = [];
      for (const module of modules) {
        const result = await runModule(module, input, tracer, m);
        reports.push(result.report);
        findings.push(...result.findings);
      }
      const outcome = overallOutcome(reports);
      const durationSeconds = seconds(start);
      m.reviewDuration.record(durationSeconds, { outcome });
      m.reviews.add(1, { outcome });
      span.setAttribute('lookout.review.outcome', outcome);
      if (outcome !== 'success') span.setStatus({ code: SpanStatusCode.ERROR, message: `review ${outcome}` });
      if (REVIEW_FAULT) span.setAttribute('lookout.review.fault', REVIEW_FAULT);
      return { findings: REVIEW_FAULT === 'wrong-findings' ? [] : findings, outcome, durationSeconds, modules: reports };
    } finally {
      span.end();
    }
  });
}
