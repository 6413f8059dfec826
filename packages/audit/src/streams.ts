// A spool folder holds one sub-folder per stream. Each running process holds its streams alone, by an
// OS lock on the stream's `lock` file: an open-file-description lock (fcntl F_OFD_SETLK on Linux, via
// fs-native-extensions) that the kernel releases when the holder exits, however it exits. Unlike a pid
// in a file, it cannot be mistaken: in a container every service is pid 1, so "the pid in the lock is
// mine" said nothing about who wrote it. A starting process locks every stream nobody holds: the oldest
// becomes its own (cursor and hash chain resumed), the others only ship their backlog.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// fs-native-extensions has no types; this is the one function used. tryLock(fd) locks without waiting
// (Linux: fcntl F_OFD_SETLK; macOS: flock; Windows: LockFileEx) and says whether it was granted. The
// lock goes when the descriptor is closed, by the kernel too when the process dies.
const { tryLock } = createRequire(import.meta.url)('fs-native-extensions') as { tryLock(fd: number): boolean };

const LOCK_FILE = 'lock';
const STREAM_ID = /^[a-z0-9][a-z0-9_.-]{0,80}-[0-9a-f]{12}$/;

export interface HeldStream {
  id: string;
  dir: string;
  /** Drops the lock (closes the locked file); the lock file itself stays, so no unlink can race a locker. */
  release(): void;
}

export interface HeldStreams {
  /** The stream this process writes: the oldest unheld one, or a new one. */
  own: HeldStream;
  /** Other unheld streams left by processes that are gone: their backlog is to be shipped. */
  orphans: HeldStream[];
}

/** Locks `dir`'s lock file without waiting; the locked descriptor, or undefined when someone holds it. */
function lockStream(dir: string): number | undefined {
  // Read-write: an exclusive (write) lock needs a descriptor open for writing.
  const fd = openSync(join(dir, LOCK_FILE), 'a+', 0o600);
  let granted = false;
  try {
    granted = tryLock(fd);
  } finally {
    if (!granted) closeSync(fd);
  }
  if (!granted) return undefined;
  // For an operator looking at the folder; nothing reads it back.
  ftruncateSync(fd, 0);
  writeSync(fd, `${process.pid}\n`);
  return fd;
}

/** Sanitised service name, the readable start of a stream id. */
const streamPrefix = (service: string) => service.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').replace(/^[^a-z0-9]+/, '').slice(0, 80) || 'stream';

/**
 * Locks every stream of `spoolDir` nobody holds. The oldest (by id) becomes this process's own; when
 * none is free, a new one is created for `service`. The caller ships the orphans' backlog and then
 * releases them.
 */
export function holdStreams(spoolDir: string, service: string): HeldStreams {
  mkdirSync(spoolDir, { recursive: true });
  const existing = readdirSync(spoolDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && STREAM_ID.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const free: HeldStream[] = [];
  for (const id of existing) {
    const fd = lockStream(join(spoolDir, id));
    if (fd !== undefined) free.push(held(spoolDir, id, fd));
  }
  const [own, ...orphans] = free;
  return { own: own ?? newStream(spoolDir, service), orphans };
}

function newStream(spoolDir: string, service: string): HeldStream {
  for (;;) {
    const id = `${streamPrefix(service)}-${randomBytes(6).toString('hex')}`;
    const dir = join(spoolDir, id);
    if (existsSync(dir)) continue;
    mkdirSync(dir, { recursive: true });
    const fd = lockStream(dir);
    if (fd !== undefined) return held(spoolDir, id, fd);
  }
}

function held(spoolDir: string, id: string, fd: number): HeldStream {
  let open = true;
  return {
    id,
    dir: join(spoolDir, id),
    release() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
