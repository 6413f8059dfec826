// The reviewer as a library: the HTTP app factory and its configuration. The pipeline itself is
// the library @lookout/review-pipeline.
export { createReviewerApp, type ReviewerAppOptions } from './app.ts';
export { ConfigError, loadReviewerConfig, type ReviewerConfig } from './config.ts';
