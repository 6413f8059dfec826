// The worker as a library, for tests and tools that embed it; main.ts is the service.
export { loadWorkerConfig, ConfigError, type WorkerConfig } from './config.ts';
export { processJob, parseJobData, isFinalAttempt, safeErrorMessage, InvalidJobError, type ProcessorDeps, type JobResult } from './processor.ts';
export { createReviewRunner } from './review-runner.ts';
export { startQueueGauges, readQueueSnapshot, type QueueSnapshot } from './queue-gauges.ts';
export { startWorker, type RunningWorker, type StartWorkerOptions } from './worker.ts';
