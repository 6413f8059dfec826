// The reviewer as a library: the HTTP app factory and its configuration. The pipeline itself is
// '@lookout/reviewer/pipeline'.
export { createReviewerApp, type ReviewerAppOptions } from './app.ts';
export { ConfigError, loadPipelineOptions, loadReviewerConfig, REVIEWER_MODULES, type ReviewerConfig } from './config.ts';
