// Starts a fixture app (testing/fixtures) as a real Node 24 child process with the bootstrap,
// for the integration tests. Not part of the package's exports.
import { fileURLToPath } from 'node:url';
import { startProcess, waitUntil, type RunningProcess } from '@lookout/testkit';

const NODE = fileURLToPath(new URL('../../../../node_modules/.bin/node', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const REGISTER = '@lookout/otel-bootstrap/register';

export interface FixtureApp {
  process: RunningProcess;
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** The bootstrap's own JSON diagnostics from stderr. */
  diagnostics(): Record<string, unknown>[];
}

/** Every app started, for the test file to stop after each test. */
export const runningApps: RunningProcess[] = [];

export async function startFixtureApp(fixture: string, loader: string[], env: Record<string, string>): Promise<FixtureApp> {
  const child = startProcess({
    name: fixture,
    command: NODE,
    args: [...loader, `${FIXTURES}${fixture}`],
    cwd: FIXTURES,
    env: {
      OTEL_SERVICE_NAME: 'fixture-service',
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
      LOOKOUT_SHUTDOWN_TIMEOUT_MS: '3000',
      ...env,
    },
  });
  runningApps.push(child);
  const port = await waitUntil(`${fixture} to listen`, () => /LISTENING (\d+)/.exec(child.output())?.[1], {
    timeoutMs: 20_000,
    context: () => child.tail(),
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    process: child,
    url,
    get: (path, headers) => fetch(`${url}${path}`, { headers }),
    diagnostics: () =>
      child
        .output()
        .split('\n')
        .filter((line) => line.includes('"component":"otel-bootstrap"'))
        .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>),
  };
}
