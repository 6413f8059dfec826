// The stack for tests and benchmarks: the same components and supervisor as `npm start`, on free
// ports, in a throw-away data dir.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, missingPart } from '@lookout/testkit';
import { binaryPath } from './binaries.ts';
import { components, portsOf, type Component, type StackContext } from './components.ts';
import { devApiKey } from './dev-key.ts';
import { startOrder } from './order.ts';
import { startAll, startComponent, stopAll, type Started } from './supervisor.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface TestStackOptions {
  /** Components to run, with what they depend on (names as in components.ts, e.g. PLATFORM). */
  only: readonly string[];
  /** Data dir; default a fresh temp dir, removed by stop(). A given one is left in place. */
  dataDir?: string;
  /** Per component, how long it may take to become healthy. Default 30 s. */
  timeoutMs?: number;
  /** Prometheus scrape and rule interval (default the config's 15s). */
  scrapeInterval?: string;
  serviceNodeArgs?: string[];
  /** Prometheus rule files instead of deploy/prometheus/rules/*.yml (StackContext.ruleFiles). */
  ruleFiles?: string[];
  /** Where Alertmanager's placeholder receivers point, e.g. a recorder (StackContext.alertReceiverUrl). */
  alertReceiverUrl?: string;
  /** Alertmanager group timings (StackContext.alertTiming). */
  alertTiming?: StackContext['alertTiming'];
}

export interface TestStack {
  ctx: StackContext;
  /** The components running now, in start order. */
  readonly started: readonly Started[];
  /** http://127.0.0.1:PORT/path of a port name ('mcp-server', 'collector.exporter'). */
  url(portName: string, path?: string): string;
  /** The running process of a component. */
  get(name: string): Started;
  /** Stops one component (SIGTERM, grace 10 s); stop() later skips it. */
  stopComponent(name: string): Promise<void>;
  /** Starts a stopped component again on the same ports and data, waiting until it is healthy. */
  startComponent(name: string): Promise<void>;
  /** Stops everything in reverse order, and removes the data dir it made. */
  stop(): Promise<void>;
}

/**
 * The missingPart rule for the backend binaries these components need: the reason to skip locally
 * (naming every missing binary and the build command), a thrown error under CI.
 */
export function backendsMissing(only: readonly string[]): string | undefined {
  const binaries = startOrder(components, only).flatMap((c) => (c.binary ? [c.binary] : []));
  const missing = binaries.filter((b) => !existsSync(binaryPath(REPO_ROOT, b)));
  const names = [...new Set(missing.map((b) => b.component))];
  return missingPart(
    missing.map((b) => b.command).join(', ') || 'backend binaries',
    missing.length === 0,
    `build with \`bash scripts/backends/build.sh ${names.join(' ')}\` (looked for ${missing.map((b) => binaryPath(REPO_ROOT, b)).join(', ')})`,
  );
}

export async function startTestStack(options: TestStackOptions): Promise<TestStack> {
  const { only, timeoutMs = 30_000 } = options;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'lookout-stack-'));
  const ports = new Map<string, number>();
  for (const [name] of components.flatMap(portsOf)) ports.set(name, await freePort());
  const order = startOrder(components, only);
  const ctx: StackContext = {
    repoRoot: REPO_ROOT,
    dataDir,
    port: (name) => ports.get(name) ?? 0,
    redisUrl: `redis://127.0.0.1:${ports.get('redis')}`,
    apiKey: devApiKey(dataDir),
    running: order.map((c) => c.name),
    otlpEndpoint: order.some((c) => c.name === 'collector') ? `http://127.0.0.1:${ports.get('collector')}` : undefined,
    scrapeInterval: options.scrapeInterval,
    serviceNodeArgs: options.serviceNodeArgs,
    ruleFiles: options.ruleFiles,
    alertReceiverUrl: options.alertReceiverUrl,
    alertTiming: options.alertTiming,
  };
  let started: Started[] = [];
  try {
    started = await startAll(order, ctx, { timeoutMs });
  } catch (error) {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const byName = (name: string): Component => {
    const component = components.find((c) => c.name === name);
    if (!component) throw new Error(`unknown component "${name}"`);
    return component;
  };
  const get = (name: string): Started => {
    const found = started.find((s) => s.component.name === name);
    if (!found) throw new Error(`${name} is not running`);
    return found;
  };
  return {
    ctx,
    get started() {
      return started;
    },
    url: (portName, path = '') => `http://127.0.0.1:${ctx.port(portName)}${path}`,
    get,
    async stopComponent(name) {
      const found = get(name);
      await found.process.stop(10_000);
      started = started.filter((s) => s !== found);
    },
    async startComponent(name) {
      const component = byName(name);
      const s = await startComponent(component, ctx, timeoutMs);
      // Keep start order, so stop() still stops services before the stores they use.
      started = [...started, s].sort((a, b) => order.indexOf(a.component) - order.indexOf(b.component));
    },
    async stop() {
      await stopAll(started, () => {});
      started = [];
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
