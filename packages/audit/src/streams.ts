// A spool folder holds one sub-folder per stream. Each running process holds one stream alone
// (a lock file with its pid): a restarted process adopts a stream whose owner is gone, resuming its
// cursor and its hash chain; a second process on the same folder gets a stream of its own.
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync, closeSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'lock';
const STREAM_ID = /^[a-z0-9][a-z0-9_.-]{0,80}-[0-9a-f]{12}$/;

export interface HeldStream {
  id: string;
  dir: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Locks held by this process, so a second Audit in the same process never shares a stream.
const heldHere = new Set<string>();

function tryLock(dir: string): boolean {
  const lock = join(dir, LOCK_FILE);
  if (heldHere.has(lock)) return false;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      heldHere.add(lock);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
      if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && alive(pid))) return false;
      // The owner is gone (crash, SIGKILL): take the stream over.
      unlinkSync(lock);
    }
  }
  return false;
}

/** Sanitised service name, the readable start of a stream id. */
const streamPrefix = (service: string) => service.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').replace(/^[^a-z0-9]+/, '').slice(0, 80) || 'stream';

/** Adopts the first stream of `spoolDir` nobody holds (oldest id first), or creates one for `service`. */
export function holdStream(spoolDir: string, service: string): HeldStream {
  mkdirSync(spoolDir, { recursive: true });
  const existing = readdirSync(spoolDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && STREAM_ID.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const id of existing) {
    if (tryLock(join(spoolDir, id))) return held(spoolDir, id);
  }
  for (;;) {
    const id = `${streamPrefix(service)}-${randomBytes(6).toString('hex')}`;
    const dir = join(spoolDir, id);
    if (existsSync(dir)) continue;
    mkdirSync(dir, { recursive: true });
    if (tryLock(dir)) return held(spoolDir, id);
  }
}

function held(spoolDir: string, id: string): HeldStream {
  const dir = join(spoolDir, id);
  const lock = join(dir, LOCK_FILE);
  return {
    id,
    dir,
    release() {
      if (!heldHere.delete(lock)) return;
      try {
        unlinkSync(lock);
      } catch {
        // already gone
      }
    },
  };
}
