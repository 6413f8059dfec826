import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryPath } from '@lookout/backends';
import { freePort, startProcess, waitUntil, type RunningProcess } from '@lookout/process-kit';
import { missingPart } from './real-parts.ts';

/** The checkout root: packages/testkit/src -> ../../.. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const COLLECTOR_DIR = join(REPO_ROOT, 'otel-collector');
const PRODUCTION_CONFIG = join(COLLECTOR_DIR, 'config.yaml');
const TEST_OVERLAY = join(COLLECTOR_DIR, 'config.test.yaml');
const HOW_TO_BUILD = 'build it with `bash scripts/backends/build.sh otelcol`';

/** The files test mode writes, one OTLP/JSON export request per line. */
export type CollectorSignal = 'traces' | 'metrics' | 'logs' | 'audit';

/**
 * Where the pinned collector binary lives (@lookout/backends' rule, the one build.sh writes by).
 * LOOKOUT_OTELCOL overrides it (e.g. a contrib distribution installed elsewhere).
 */
export function collectorBinary(): string {
  return process.env.LOOKOUT_OTELCOL ?? binaryPath('otelcol');
}

/** The missingPart rule for the collector: the reason to skip locally; under CI it throws naming otelcol. */
export function collectorMissing(): string | undefined {
  return missingPart('otelcol', existsSync(collectorBinary()), `${HOW_TO_BUILD} (looked for ${collectorBinary()})`);
}

/** The --config files for a mode: 'test' = production + test overlay, 'production' = production alone, else the given file(s). */
export function collectorConfigFiles(config: 'test' | 'production' | string | string[]): string[] {
  if (config === 'test') return [PRODUCTION_CONFIG, TEST_OVERLAY];
  if (config === 'production') return [PRODUCTION_CONFIG];
  return (Array.isArray(config) ? config : [config]).map((file) => (isAbsolute(file) ? file : resolve(file)));
}

export interface ValidationResult {
  ok: boolean;
  /** What `otelcol validate` printed (errors name the component and field). */
  output: string;
}

/** Runs `otelcol validate` on one config or a merged list of them (see collectorConfigFiles for the names). */
export function validateCollectorConfig(
  config: 'test' | 'production' | string | string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ValidationResult> {
  const args = ['validate', ...collectorConfigFiles(config).flatMap((file) => ['--config', file])];
  return new Promise((done) => {
    execFile(collectorBinary(), args, { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ ok: !error, output: `${stdout}${stderr}` });
    });
  });
}

export interface StartCollectorOptions {
  /** 'test' (default): every pipeline writes JSON lines into outDir. 'production': config.yaml as deployed. Or config file path(s). */
  config?: 'test' | 'production' | string | string[];
  /** Extra environment for the collector, e.g. LOOKOUT_LOGS_AUDIT_OTLP_ENDPOINT for a stand-in log store. Wins over the ports chosen here. */
  env?: NodeJS.ProcessEnv;
  /** Folder for the output files, the persistent queue (outDir/storage) and the collector's log. Default: a fresh temp folder. */
  outDir?: string;
  /** How long to wait for health_check to answer 200. Default 20 s (the first start of a cold binary can be slow). */
  startTimeoutMs?: number;
}

export interface TestCollector {
  /** Base URL of the OTLP/HTTP receiver; POST to `${otlpHttpUrl}/v1/logs` etc. */
  otlpHttpUrl: string;
  /** host:port of the OTLP/gRPC receiver. */
  otlpGrpcEndpoint: string;
  /** health_check extension; 200 once every pipeline runs. */
  healthUrl: string;
  /** The collector's own metrics (otelcol_*), Prometheus text. */
  metricsUrl: string;
  /** The prometheus exporter's scrape endpoint (production config only; unused in test mode). */
  prometheusExporterUrl: string;
  outDir: string;
  /** The process currently running (a new one after restart()). */
  readonly process: RunningProcess;
  /** Every line of outDir/SIGNAL.jsonl, parsed (an OTLP/JSON export request each); [] before the file exists. */
  read(signal: CollectorSignal): unknown[];
  /** Graceful stop (SIGTERM: queues drain). Removes outDir unless the caller passed it. */
  stop(): Promise<void>;
  /** SIGKILL, for fault tests: nothing gets flushed. */
  kill(): Promise<void>;
  /** Starts again with the same config, environment, ports and folders; resolves when healthy. */
  restart(): Promise<void>;
}

/** Starts the real collector on free ports and waits for its health_check. Call collectorMissing() first. */
export async function startCollector(options: StartCollectorOptions = {}): Promise<TestCollector> {
  const { config = 'test', startTimeoutMs = 20_000 } = options;
  // A folder we made is ours to remove on stop(); a caller's outDir is left for the caller.
  const ownsOutDir = options.outDir === undefined;
  const outDir = options.outDir ?? mkdtempSync(join(tmpdir(), 'lookout-otelcol-'));
  mkdirSync(outDir, { recursive: true });
  const [httpPort, grpcPort, healthPort, metricsPort, exporterPort] = await Promise.all(
    [0, 0, 0, 0, 0].map(() => freePort()),
  );
  const env: NodeJS.ProcessEnv = {
    LOOKOUT_OTLP_HOST: '127.0.0.1',
    LOOKOUT_OTLP_HTTP_PORT: String(httpPort),
    LOOKOUT_OTLP_GRPC_PORT: String(grpcPort),
    LOOKOUT_HEALTH_HOST: '127.0.0.1',
    LOOKOUT_HEALTH_PORT: String(healthPort),
    LOOKOUT_COLLECTOR_METRICS_HOST: '127.0.0.1',
    LOOKOUT_COLLECTOR_METRICS_PORT: String(metricsPort),
    LOOKOUT_PROMETHEUS_EXPORTER_ENDPOINT: `127.0.0.1:${exporterPort}`,
    LOOKOUT_COLLECTOR_OUT_DIR: outDir,
    LOOKOUT_COLLECTOR_STORAGE_DIR: join(outDir, 'storage'),
    ...options.env,
  };
  const args = collectorConfigFiles(config).flatMap((file) => ['--config', file]);
  const healthUrl = `http://127.0.0.1:${healthPort}/`;
  let current: RunningProcess;

  const launch = async () => {
    const child = startProcess({ name: 'otelcol', command: collectorBinary(), args, env, cwd: outDir, logFile: join(outDir, 'otelcol.log') });
    current = child;
    let exitedEarly = false;
    void child.exited.then(() => (exitedEarly = true));
    await waitUntil(
      `otelcol health_check at ${healthUrl}`,
      async () => {
        if (exitedEarly) throw new Error(`otelcol exited before it was healthy:\n${child.tail()}`);
        return (await fetch(healthUrl)).status === 200 || undefined;
      },
      { timeoutMs: startTimeoutMs, context: () => child.tail() },
    ).catch(async (error: unknown) => {
      await child.stop(1000);
      throw error;
    });
  };
  await launch();

  return {
    otlpHttpUrl: `http://127.0.0.1:${httpPort}`,
    otlpGrpcEndpoint: `127.0.0.1:${grpcPort}`,
    healthUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    prometheusExporterUrl: `http://127.0.0.1:${exporterPort}/metrics`,
    outDir,
    get process() {
      return current;
    },
    read: (signal) => readJsonLines(join(outDir, `${signal}.jsonl`)),
    async stop() {
      await current.stop();
      if (ownsOutDir) rmSync(outDir, { recursive: true, force: true });
    },
    async kill() {
      if (current.child.exitCode === null && current.child.signalCode === null) current.child.kill('SIGKILL');
      await current.exited;
    },
    async restart() {
      await current.stop();
      await launch();
    },
  };
}

function readJsonLines(file: string): unknown[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  // The last piece is '' after a complete line, or a line the exporter is still writing: skip it.
  lines.pop();
  return lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
}
