// The modular review pipeline: runReview over a unified diff. The reviewer serves it over HTTP; the worker runs it in-process.
export { runReview, TRACER_NAME, type ModuleOutcome, type ModuleReport, type ReviewDeps, type ReviewerInstruments, type ReviewOutcome, type ReviewResult } from './run-review.ts';
export { parseReviewOptions, reviewOptionsSchema, TODO_MARKERS, type ReviewOptions, type ReviewOptionsInput } from './options.ts';
export { InvalidDiffError, parseUnifiedDiff, type AddedLine, type DiffFile, type FileStatus } from './diff.ts';
export { builtInModules, defaultModules, type BuiltInModuleName } from './modules/index.ts';
export type { Finding, ModuleFinding, ReviewInput, ReviewModule, Severity } from './types.ts';
export { ConfigError, loadPipelineOptions } from './env.ts';
