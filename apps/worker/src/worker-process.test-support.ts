// The worker as production starts it, for tests: Node 24 from node_modules/.bin, the bootstrap
// preloaded, apps/worker/src/main.ts; no collector (only the in-process Prometheus reader behind /metrics).
import { join } from 'node:path';
import { startProcess, waitUntil, type RunningProcess } from '@lookout/testkit';

const repoRoot = join(import.meta.dirname, '../../..');
const node = join(repoRoot, 'node_modules/.bin/node');
const quietTelemetry = { OTEL_SERVICE_NAME: 'worker', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

/** Starts the worker with env over quiet telemetry; nodeArgs go before the bootstrap (e.g. --expose-gc). */
export function startWorkerProcess(env: NodeJS.ProcessEnv, nodeArgs: string[] = []): RunningProcess {
  return startProcess({
    name: 'worker',
    command: node,
    args: [...nodeArgs, '--require', '@lookout/otel-bootstrap/register', 'apps/worker/src/main.ts'],
    cwd: repoRoot,
    env: { ...quietTelemetry, ...env },
  });
}

/** The url from the "listening" JSON line. */
export function listeningUrl(worker: RunningProcess): Promise<string> {
  const find = () => {
    for (const line of worker.output().split('\n')) {
      if (!line.includes('"listening"')) continue;
      const parsed = JSON.parse(line) as { msg?: string; url?: string };
      if (parsed.msg === 'listening' && parsed.url) return parsed.url;
    }
    return undefined;
  };
  return waitUntil('the worker to log "listening"', find, { context: () => worker.tail() });
}
