// The modular reviewer library: apps/reviewer's HTTP layer wraps runReview.
export { runReview, TRACER_NAME, type ModuleOutcome, type ModuleReport, type ReviewDeps, type ReviewerInstruments, type ReviewOutcome, type ReviewResult } from './run-review.ts';
export { parseReviewOptions, reviewOptionsSchema, TODO_MARKERS, type ReviewOptions, type ReviewOptionsInput } from './options.ts';
export { InvalidDiffError, parseUnifiedDiff, type AddedLine, type DiffFile, type FileStatus } from './diff.ts';
export { builtInModules, defaultModules, type BuiltInModuleName } from './modules/index.ts';
export type { Finding, ModuleFinding, ReviewInput, ReviewModule, Severity } from './types.ts';
