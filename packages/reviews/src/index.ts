export * from './schema.ts';
export { REVIEW_QUEUE, defaultJobOptions, jobRetention, captureJobContext, restoreJobContext } from './queue.ts';
export { buildDigest } from './digest.ts';
export { ReviewStore, type ReviewStoreOptions } from './store.ts';
