// The periodic configuration drift check: a BullMQ job scheduler (one job per interval across all
// worker replicas) runs @lookout/deploy-config's check, the same one `lookout drift` runs, and the
// result is held for the gauges lookout_config_drift{component,object},
// lookout_drift_check_success{component} and lookout_drift_check_timestamp_seconds{component}.
// Alerts ConfigDrift and DriftCheckFailing read them (deploy/prometheus/rules/drift.yml).
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { DRIFT_SECTIONS, type InstrumentsFor } from '@lookout/catalog';
import { REPO_ROOT, runDriftCheck, type DriftComponent, type DriftReport } from '@lookout/deploy-config';
import { getLogger, type Logger } from '@lookout/logger';
import { envVar, parseEnv } from '@lookout/service-kit';

export const DRIFT_QUEUE = 'lookout-drift';
const SCHEDULER_ID = 'drift-check';

const envSchema = z.object({
  LOOKOUT_PROMETHEUS_URL: z.preprocess(envVar.unsetIfEmpty, z.string().regex(/^https?:\/\/[^/]/, 'must be an http:// or https:// URL').optional()),
  LOOKOUT_ALERTMANAGER_URL: z.preprocess(envVar.unsetIfEmpty, z.string().regex(/^https?:\/\/[^/]/, 'must be an http:// or https:// URL').optional()),
  LOOKOUT_DRIFT_DATA_DIR: z.preprocess(envVar.unsetIfEmpty, z.string().optional()),
  LOOKOUT_DRIFT_INTERVAL_MS: envVar.positiveInt(300_000),
});

export interface DriftConfig {
  /** LOOKOUT_PROMETHEUS_URL / LOOKOUT_ALERTMANAGER_URL: the targets; the check is off when neither is set (npm start and compose set both). */
  urls: Partial<Record<DriftComponent, string>>;
  /** LOOKOUT_DRIFT_DATA_DIR: the stack's data dir with its render.json files; unset: the committed files as they are (compose). */
  dataDir?: string;
  /** LOOKOUT_DRIFT_INTERVAL_MS, default 300 000 (5 minutes). */
  intervalMs: number;
}

export function loadDriftConfig(env: NodeJS.ProcessEnv = process.env): DriftConfig | undefined {
  const e = parseEnv(envSchema, env);
  const urls = { prometheus: e.LOOKOUT_PROMETHEUS_URL, alertmanager: e.LOOKOUT_ALERTMANAGER_URL };
  if (!urls.prometheus && !urls.alertmanager) return undefined;
  return { urls, dataDir: e.LOOKOUT_DRIFT_DATA_DIR, intervalMs: e.LOOKOUT_DRIFT_INTERVAL_MS };
}

type DriftInstruments = Pick<InstrumentsFor<'worker'>, 'configDrift' | 'driftCheckSuccess' | 'driftCheckTimestamp'>;
type Section = (typeof DRIFT_SECTIONS)[number];

/** Registers the gauges over the latest report; returns a function that unregisters them. */
export function observeDriftReport(instruments: DriftInstruments, latest: () => DriftReport | undefined): () => void {
  const at = () => Date.parse(latest()?.checkedAt ?? '') / 1000;
  const unregister = [
    instruments.configDrift.addCallback((gauge) => {
      for (const result of latest()?.results ?? []) {
        // Unreadable: no drift value at all (not 0), so ConfigDrift neither fires nor resolves on it.
        if (result.status === 'unreadable') continue;
        const counts = new Map<Section, number>(DRIFT_SECTIONS.map((s) => [s, 0]));
        for (const object of result.drifted) counts.set(object.section, (counts.get(object.section) ?? 0) + 1);
        for (const [object, count] of counts) gauge.observe(count, { component: result.component, object });
      }
    }),
    instruments.driftCheckSuccess.addCallback((gauge) => {
      for (const result of latest()?.results ?? []) gauge.observe(result.status === 'unreadable' ? 0 : 1, { component: result.component });
    }),
    instruments.driftCheckTimestamp.addCallback((gauge) => {
      for (const result of latest()?.results ?? []) gauge.observe(at(), { component: result.component });
    }),
  ];
  return () => unregister.forEach((fn) => fn());
}

export interface DriftJobOptions {
  connection: Redis;
  instruments: DriftInstruments;
  config: DriftConfig;
  /** Default: the repository this worker runs from. */
  repoRoot?: string;
  /** Default: getLogger('worker'). */
  logger?: Logger;
}

export interface DriftJob {
  /** The last report, once a check ran in this process. */
  latest(): DriftReport | undefined;
  close(): Promise<void>;
}

export function startDriftJob({ connection, instruments, config, repoRoot = REPO_ROOT, logger }: DriftJobOptions): DriftJob {
  const log = logger ?? getLogger('worker');
  let report: DriftReport | undefined;
  const queue = new Queue(DRIFT_QUEUE, { connection });
  const worker = new Worker(DRIFT_QUEUE, async () => {
    report = await runDriftCheck({ repoRoot, dataDir: config.dataDir, urls: config.urls });
    for (const result of report.results) {
      if (result.status === 'unreadable') log.warn({ component: result.component, error: result.error }, 'drift check could not read the component');
      // The first few objects name the problem; `lookout drift` shows them all, with each change.
      else if (result.status === 'drift') log.warn({ component: result.component, count: result.drifted.length, objects: result.drifted.slice(0, 5).map((o) => o.object) }, 'configuration drift: the running config differs from deploy/; see `lookout drift`');
    }
    return report.results.map((r) => r.status);
  }, { connection, concurrency: 1 });
  worker.on('error', (error) => log.error({ err: error }, 'drift worker error'));
  // Not awaited: the worker starts serving while Redis may still be on its way.
  queue
    .upsertJobScheduler(SCHEDULER_ID, { every: config.intervalMs }, { name: SCHEDULER_ID, opts: { removeOnComplete: 10, removeOnFail: 10 } })
    .catch((error: unknown) => log.error({ err: error }, 'could not schedule the drift check; it will not run until the worker restarts'));
  const unregister = observeDriftReport(instruments, () => report);
  log.info({ interval_ms: config.intervalMs, components: Object.keys(config.urls).filter((c) => config.urls[c as DriftComponent]) }, 'drift check scheduled');
  return {
    latest: () => report,
    close: async () => {
      unregister();
      await worker.close();
      await queue.close();
    },
  };
}


