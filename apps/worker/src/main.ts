// Entry point: node --require @lookout/otel-bootstrap/register apps/worker/src/main.ts
import { Redis } from 'ioredis';
import { createInstruments } from '@lookout/catalog';
import { getLogger } from '@lookout/logger';
import { getMeter } from '@lookout/otel-bootstrap';
import { ReviewStore } from '@lookout/reviews';
import { createServiceApp, finishServiceApp, listen } from '@lookout/service-kit';
import { loadPipelineOptions } from '@lookout/review-pipeline';
import { ConfigError, loadWorkerConfig } from './config.ts';
import { createReviewRunner } from './review-runner.ts';
import { startSloReports } from './slo-reports.ts';
import { startWorker } from './worker.ts';
import { loadDriftConfig, startDriftJob } from './drift-job.ts';

const log = getLogger('worker');
/** How long SIGTERM waits for active jobs; below a typical 30 s orchestrator grace period. */
const STOP_TIMEOUT_MS = 15_000;

/** True when the promise settled (either way) within ms. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

function loadConfig() {
  try {
    return { worker: loadWorkerConfig(), pipeline: loadPipelineOptions(), drift: loadDriftConfig() };
  } catch (error) {
    // The pipeline's options throw the same ConfigError (both come from @lookout/service-kit).
    if (!(error instanceof ConfigError)) throw error;
    log.error({ error: error.message }, 'bad configuration; not starting');
    process.exit(1);
  }
}

const config = loadConfig();
// BullMQ requires maxRetriesPerRequest: null: its blocking commands must wait out a reconnect.
const redis = new Redis(config.worker.redisUrl, { maxRetriesPerRequest: null });
redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));

const instruments = createInstruments(getMeter('@lookout/worker'), 'worker');
const running = startWorker({
  connection: redis,
  store: new ReviewStore(redis),
  review: createReviewRunner(config.pipeline),
  instruments,
  concurrency: config.worker.concurrency,
  gaugeRefreshMs: config.worker.gaugeRefreshMs,
});

// Off unless LOOKOUT_PROMETHEUS_URL or LOOKOUT_ALERTMANAGER_URL is set (npm start and compose set both).
const drift = config.drift && startDriftJob({ connection: redis, instruments, config: config.drift });
const sloReports = startSloReports({ connection: redis, schedule: config.worker.sloReports, instruments, logger: log });

const app = createServiceApp({
  name: 'worker',
  ready: {
    redis: () => redis.ping(),
    worker: async () => {
      if (!running.isRunning()) throw new Error('the queue worker is not running');
    },
  },
});

await listen(finishServiceApp(app), {
  port: config.worker.port,
  host: config.worker.host,
  // Only health checks and scrapes are served: short requests, so the jobs get most of the grace period.
  drainTimeoutMs: 2000,
  // The HTTP side stops first; then the worker finishes its active jobs before Redis goes.
  onClose: async () => {
    await settlesWithin(drift?.close() ?? Promise.resolve(), 2000);
    if (!(await settlesWithin(Promise.all([running.close(), sloReports.close()]), STOP_TIMEOUT_MS))) {
      log.warn({ timeout_ms: STOP_TIMEOUT_MS }, 'active jobs did not finish in time; stopping anyway (BullMQ will retry them)');
      await settlesWithin(running.worker.close(true), 1000);
    }
    // QUIT waits for Redis to answer, which it may never do when Redis is the reason we stop.
    if (!(await settlesWithin(redis.quit(), 1000))) redis.disconnect();
  },
});
