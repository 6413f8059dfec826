import { createWriteStream } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningProcess {
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** The last lines of output, for failure messages. */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves with the exit code (or signal name). */
  stop(graceMs?: number): Promise<number | string | null>;
  exited: Promise<number | string | null>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Also append everything the process writes to this file. */
  logFile?: string;
}

export function startProcess({ name, command, args, env, cwd, logFile }: StartOptions): RunningProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  child.once('exit', () => log?.end());
  let buffer = '';
  const keep = (chunk: Buffer) => {
    log?.write(chunk);
    buffer += chunk.toString('utf8');
    // Bound memory for chatty processes: keep the newest megabyte.
    if (buffer.length > 2_000_000) buffer = buffer.slice(-1_000_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.once('error', (error) => {
      buffer += `\n[testkit] ${name} failed to start: ${error.message}\n`;
      resolve(null);
    });
  });
  const tail = (lines = 30) => buffer.trimEnd().split('\n').slice(-lines).join('\n');
  return {
    child,
    output: () => buffer,
    tail,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Polls until check() resolves truthy; the error names what was awaited and includes context(). */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 15_000, intervalMs = 100, context }: { timeoutMs?: number; intervalMs?: number; context?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const extra = context ? `\n--- context ---\n${context()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}${extra}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves when GET url answers with the expected status. */
export function waitForHttp(url: string, options: { timeoutMs?: number; status?: number; context?: () => string } = {}): Promise<true> {
  const { status = 200, ...rest } = options;
  return waitUntil(`${url} to answer ${status}`, async () => (await fetch(url)).status === status || undefined, rest);
}
