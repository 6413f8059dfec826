// The platform the fuzz and leak suite probes: Redis, reviewer, worker and mcp-server started as
// `npm start` starts them (bootstrap preloaded), exporting to a real collector in test mode (a JSON
// lines file per signal) through an OTLP tap that keeps what each service exported before the collector
// touched it. Every trace is recorded (always_on), so the leak search sees every span the probe caused,
// whatever the services' sampling rules for inbound trace context.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, type TestCollector } from '@lookout/testkit';
import { PLATFORM } from '@lookout/stack/components';
import { startOtlpTap, type OtlpTap } from './otlp-tap.test-support.ts';
import { startTestStack, type TestStack } from '@lookout/stack/testing';

export const PROBED_SERVICES = ['reviewer', 'worker', 'mcp-server'] as const;
export type ProbedService = (typeof PROBED_SERVICES)[number];

export interface ProbeStack {
  collector: TestCollector;
  /** What the services (and the in-process CLI) exported, as sent. */
  tap: OtlpTap;
  stack: TestStack;
  /** Redis data, audit spools, service logs and the collector's files. */
  dataDir: string;
  url(service: string, path?: string): string;
  stop(): Promise<void>;
}

/** The variables the services inherit: fast exports, every trace recorded. */
const PROBE_ENV = {
  OTEL_TRACES_SAMPLER: 'always_on',
  OTEL_METRIC_EXPORT_INTERVAL: '1000',
  OTEL_BSP_SCHEDULE_DELAY: '200',
  OTEL_BLRP_SCHEDULE_DELAY: '200',
};

export async function startProbeStack(): Promise<ProbeStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-probe-'));
  const savedEnv = { ...process.env };
  let collector: TestCollector | undefined;
  let tap: OtlpTap | undefined;
  let stack: TestStack | undefined;
  const restoreEnv = () => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  };
  const stop = async () => {
    await stack?.stop();
    await tap?.close();
    await collector?.stop();
    restoreEnv();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    collector = await startCollector({ config: 'test', outDir: join(dataDir, 'otelcol') });
    tap = await startOtlpTap(collector.otlpHttpUrl);
    delete process.env.OTEL_TRACES_SAMPLER_ARG;
    // Children inherit these (the supervisor passes process.env on).
    Object.assign(process.env, PROBE_ENV, { OTEL_EXPORTER_OTLP_ENDPOINT: tap.url });
    stack = await startTestStack({ only: PLATFORM, dataDir });
  } catch (error) {
    await stop();
    throw error;
  }
  const started = stack;
  return { collector, tap, stack, dataDir, url: (service, path = '') => started.url(service, path), stop };
}
