import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { portIsFree, startProcess, waitUntil, type RunningProcess } from '@lookout/process-kit';
import { portsOf, type Component, type StackContext } from './components.ts';

export interface Started {
  component: Component;
  process: RunningProcess;
  logFile: string;
}

export class ComponentFailed extends Error {
  readonly component: string;
  readonly lastLines: string;
  readonly logFile: string;
  constructor(component: string, reason: string, lastLines: string, logFile: string) {
    super(`${component} failed: ${reason}${lastLines ? `\n--- last lines of ${component} ---\n${lastLines}\n---` : ''}`);
    this.component = component;
    this.lastLines = lastLines;
    this.logFile = logFile;
  }
}

/**
 * Starts one component and resolves once it is healthy; rejects with ComponentFailed naming it.
 * Aborting `signal` stops it and rejects at once, however long the health wait had left.
 */
export async function startComponent(component: Component, ctx: StackContext, timeoutMs: number, signal?: AbortSignal): Promise<Started> {
  const logFile = join(ctx.dataDir, 'logs', `${component.name}.log`);
  mkdirSync(join(ctx.dataDir, 'logs'), { recursive: true });
  for (const [name] of portsOf(component)) {
    const port = ctx.port(name);
    if (!(await portIsFree(port))) throw new ComponentFailed(component.name, `port ${port} (${name}) is already in use`, '', logFile);
  }
  try {
    component.prepare?.(ctx);
  } catch (error) {
    throw new ComponentFailed(component.name, `could not prepare it: ${error instanceof Error ? error.message : String(error)}`, '', logFile);
  }
  const proc = startProcess({ name: component.name, ...component.start(ctx), cwd: ctx.repoRoot, logFile });
  const exitedEarly = proc.exited.then((code) => {
    throw new Error(`exited (${code}) before it was healthy`);
  });
  const { ready } = component;
  const healthy =
    'url' in ready
      ? waitUntil(`${component.name} at ${ready.url(ctx)}`, async () => (await fetch(ready.url(ctx))).ok || undefined, { timeoutMs, intervalMs: 200 })
      : waitUntil(`${component.name} to print "${ready.outputIncludes}"`, () => proc.output().includes(ready.outputIncludes) || undefined, { timeoutMs });
  const aborted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new Error('start-up abandoned')), { once: true }));
  try {
    await Promise.race([healthy, exitedEarly, aborted]);
  } catch (error) {
    healthy.catch(() => {}); // the race is decided; the loser's rejection is not news
    await proc.stop(2000);
    throw new ComponentFailed(component.name, error instanceof Error ? error.message : String(error), proc.tail(20), logFile);
  }
  exitedEarly.catch(() => {}); // from here on, an exit is watched by the caller
  return { component, process: proc, logFile };
}

/** Stops in reverse start order, so services go before the stores they write to. */
export async function stopAll(started: readonly Started[], progress: (line: string) => void): Promise<void> {
  for (const { component, process } of [...started].reverse()) {
    progress(`stopping ${component.name}`);
    await process.stop(10_000);
  }
}

/** Rejects with ComponentFailed when any already started component exits while `starting` starts. */
function exitOfAny(started: readonly Started[], starting: string): Promise<never> {
  return Promise.race(
    started.map(({ component, process, logFile }) =>
      process.exited.then((code) => {
        throw new ComponentFailed(component.name, `exited (${code}) while ${starting} was starting`, process.tail(20), logFile);
      }),
    ),
  );
}

/**
 * Starts the components in the given (dependency) order, each waited on until healthy; one that
 * exits while a later one starts fails the start too. On a failure it stops what it started and
 * rethrows the ComponentFailed that names the component. Exits after it returns are the caller's.
 */
export async function startAll(
  order: readonly Component[],
  ctx: StackContext,
  { timeoutMs, progress = () => {}, onStarted }: { timeoutMs: number; progress?: (line: string) => void; onStarted?: (started: Started) => void },
): Promise<Started[]> {
  const started: Started[] = [];
  for (const component of order) {
    const began = performance.now();
    progress(`starting ${component.name} ...`);
    const abandon = new AbortController();
    const starting = startComponent(component, ctx, timeoutMs, abandon.signal);
    const earlierExit = exitOfAny(started, component.name);
    earlierExit.catch(() => {}); // only news while this component starts
    try {
      const s = await Promise.race([starting, earlierExit]);
      started.push(s);
      onStarted?.(s);
      progress(`  ${component.name} healthy in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    } catch (error) {
      // An earlier component's exit won the race: the one still starting is stopped too.
      abandon.abort();
      await starting.then(({ process }) => process.stop(2000)).catch(() => {});
      await stopAll(started, progress);
      throw error;
    }
  }
  return started;
}
