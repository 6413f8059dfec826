// A real VictoriaLogs (the logs-audit instance) for end-to-end tests: the pinned binary from
// scripts/backends (paths.sh), on a free loopback port with a throwaway data folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryPath } from '@lookout/backends';
import { freePort, missingPart, startProcess, waitForHttp, type RunningProcess } from '@lookout/testkit';

export function victoriaLogsBinary(): string {
  return binaryPath('victoria-logs');
}

/** The missingPart rule: a skip reason locally, a failure naming victoria-logs under CI. */
export function victoriaLogsMissing(): string | undefined {
  const binary = victoriaLogsBinary();
  return missingPart('victoria-logs', binary !== '' && existsSync(binary), `build it with \`bash scripts/backends/build.sh victorialogs\` (looked for ${binary || 'scripts/backends/paths.sh victoria-logs'})`);
}

export interface TestVictoriaLogs {
  /** Base URL, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** What the collector's otlp_http exporter takes as endpoint (it appends /v1/logs). */
  otlpEndpoint: string;
  readonly process: RunningProcess;
  /** SIGTERM; the data folder stays, so start() brings back what was stored. */
  stop(): Promise<void>;
  /** Starts again on the same port and data. */
  start(): Promise<void>;
  /** Stop and remove the data folder. */
  destroy(): Promise<void>;
}

export async function startVictoriaLogs(): Promise<TestVictoriaLogs> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-vl-'));
  const url = `http://127.0.0.1:${port}`;
  let current: RunningProcess;
  const launch = async () => {
    current = startProcess({
      name: 'victoria-logs',
      command: victoriaLogsBinary(),
      args: [`-storageDataPath=${dataDir}`, `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=400d', '-loggerLevel=WARN'],
    });
    await waitForHttp(`${url}/health`, { timeoutMs: 20_000, context: () => current.tail() });
  };
  await launch();
  return {
    url,
    otlpEndpoint: `${url}/insert/opentelemetry`,
    get process() {
      return current;
    },
    async stop() {
      await current.stop();
    },
    start: launch,
    async destroy() {
      await current.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
