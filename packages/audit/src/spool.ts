// One stream's spool: JSON-lines segment files (0000000001.jsonl, ...) that only grow, plus
// cursor.json, the position and chain head of the last event the collector acknowledged.
// A line is one event's canonical JSON. Writes are appended and fdatasync'd before they count;
// a torn last line (crash mid-write) is cut off on open. Segments wholly before the cursor are deleted.
import { mkdir, open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { GENESIS_HASH } from './canonical.ts';
import { listSegments, segmentPath } from './spool-layout.ts';

export { listSegments, segmentPath };

export interface ChainHead {
  /** seq of the last event (0 before the first). */
  seq: number;
  /** hash of the last event (GENESIS_HASH before the first). */
  hash: string;
}

export interface SpoolPosition {
  segment: number;
  offset: number;
}

type Cursor = SpoolPosition & ChainHead;

export interface SpoolBatch {
  lines: string[];
  /** Where the cursor goes once these lines are acknowledged. */
  end: SpoolPosition;
}

export interface SpoolLimits {
  /** Undelivered bytes the spool may hold; an append beyond it is refused. */
  maxBytes: number;
  /** A new segment file is started once the current one reaches this size. */
  segmentBytes: number;
}

/** record() rejects with this when the spool holds maxBytes of undelivered events: nothing is dropped silently. */
export class SpoolFullError extends Error {
  override readonly name = 'SpoolFullError';
}

const NEWLINE = 0x0a;
const CURSOR_FILE = 'cursor.json';


function parseLine(line: string): { seq: number; hash: string; prev_hash: string; time: string } | undefined {
  try {
    const event = JSON.parse(line) as { seq?: unknown; hash?: unknown; prev_hash?: unknown; time?: unknown };
    if (typeof event.seq === 'number' && typeof event.hash === 'string' && typeof event.prev_hash === 'string' && typeof event.time === 'string') {
      return event as { seq: number; hash: string; prev_hash: string; time: string };
    }
  } catch {
    // not an event
  }
  return undefined;
}

export class StreamSpool {
  readonly dir: string;
  readonly #limits: SpoolLimits;
  /** Size of each segment file, as far as it is durable. */
  readonly #sizes = new Map<number, number>();
  #cursor: Cursor;
  #head: ChainHead;
  #writeSegment: number;
  #file: FileHandle | undefined;
  #oldestTime: number | undefined;

  private constructor(dir: string, limits: SpoolLimits, cursor: Cursor, head: ChainHead, writeSegment: number) {
    this.dir = dir;
    this.#limits = limits;
    this.#cursor = cursor;
    this.#head = head;
    this.#writeSegment = writeSegment;
  }

  /** Opens (or creates) a stream folder: recovers the chain head from the last durable line and the cursor from cursor.json. */
  static async open(dir: string, limits: SpoolLimits): Promise<StreamSpool> {
    await mkdir(dir, { recursive: true });
    const segments = await listSegments(dir);
    const savedCursor = await readCursor(dir);
    const spool = new StreamSpool(dir, limits, savedCursor ?? { segment: segments[0] ?? 1, offset: 0, seq: 0, hash: GENESIS_HASH }, { seq: 0, hash: GENESIS_HASH }, 1);
    let head: ChainHead | undefined;
    // Only the last segment can end in a torn line: a new segment is started after a complete write.
    for (const [position, index] of segments.entries()) {
      const path = segmentPath(dir, index);
      if (position === segments.length - 1) {
        const { size, last } = await repairSegment(path);
        spool.#sizes.set(index, size);
        if (last) head = last;
      } else {
        spool.#sizes.set(index, (await stat(path)).size);
      }
    }
    for (let i = segments.length - 2; i >= 0 && !head; i--) head = (await repairSegment(segmentPath(dir, segments[i] as number))).last;
    const firstLine = segments.length > 0 ? await readFirstLine(segmentPath(dir, segments[0] as number)) : undefined;
    if (!savedCursor && firstLine) {
      // No cursor yet: nothing was acknowledged, so it sits before the first event we still have.
      const first = parseLine(firstLine);
      if (first) spool.#cursor = { segment: segments[0] as number, offset: 0, seq: first.seq - 1, hash: first.prev_hash };
    }
    spool.#head = head ?? { seq: spool.#cursor.seq, hash: spool.#cursor.hash };
    spool.#writeSegment = segments.at(-1) ?? spool.#cursor.segment;
    if (spool.pendingEvents() > 0) await spool.readBatch(1);
    return spool;
  }

  /** The last durable event of the stream. */
  get head(): Readonly<ChainHead> {
    return this.#head;
  }

  pendingEvents(): number {
    return this.#head.seq - this.#cursor.seq;
  }

  /** Undelivered bytes: everything from the cursor to the end of the last segment. */
  pendingBytes(): number {
    let bytes = 0;
    for (const [index, size] of this.#sizes) {
      if (index > this.#cursor.segment) bytes += size;
      else if (index === this.#cursor.segment) bytes += Math.max(0, size - this.#cursor.offset);
    }
    return bytes;
  }

  /** Milliseconds since the epoch of the oldest undelivered event, if any. */
  oldestPendingTime(): number | undefined {
    return this.pendingEvents() > 0 ? this.#oldestTime : undefined;
  }

  get limits(): Readonly<SpoolLimits> {
    return this.#limits;
  }

  /**
   * Appends complete lines (each ending in \n) and fdatasyncs them; `head` is the chain head after
   * them. On any failure the segment is cut back to where it was, so no half batch stays behind.
   */
  async append(data: Buffer, head: ChainHead, firstTime: number): Promise<void> {
    let size = this.#sizes.get(this.#writeSegment) ?? 0;
    if (size >= this.#limits.segmentBytes) {
      await this.#file?.close();
      this.#file = undefined;
      this.#writeSegment += 1;
      size = 0;
    }
    if (!this.#file) {
      this.#file = await open(segmentPath(this.dir, this.#writeSegment), 'a');
      if (!this.#sizes.has(this.#writeSegment)) await syncDir(this.dir);
      this.#sizes.set(this.#writeSegment, (await this.#file.stat()).size);
      size = this.#sizes.get(this.#writeSegment) ?? 0;
    }
    try {
      await this.#file.write(data);
      await this.#file.datasync();
    } catch (error) {
      await this.#file.truncate(size).catch(() => undefined);
      throw error;
    }
    if (this.pendingEvents() === 0) this.#oldestTime = firstTime;
    this.#sizes.set(this.#writeSegment, size + data.length);
    this.#head = { ...head };
  }

  /** Up to maxLines undelivered lines from the cursor on (never past a segment's end), or undefined when all is delivered. */
  async readBatch(maxLines: number, maxBytes = 4 * 1024 * 1024): Promise<SpoolBatch | undefined> {
    let { segment, offset } = this.#cursor;
    if (offset >= (this.#sizes.get(segment) ?? 0)) {
      const next = [...this.#sizes.keys()].filter((index) => index > segment).sort((a, b) => a - b)[0];
      if (next === undefined) return undefined;
      segment = next;
      offset = 0;
    }
    const size = this.#sizes.get(segment) ?? 0;
    const length = Math.min(size - offset, maxBytes);
    if (length <= 0) return undefined;
    const buffer = Buffer.alloc(length);
    const file = await open(segmentPath(this.dir, segment), 'r');
    try {
      await file.read(buffer, 0, length, offset);
    } finally {
      await file.close();
    }
    const lines: string[] = [];
    let start = 0;
    while (lines.length < maxLines) {
      const newline = buffer.indexOf(NEWLINE, start);
      if (newline < 0) break;
      lines.push(buffer.toString('utf8', start, newline));
      start = newline + 1;
    }
    if (lines.length === 0) return undefined;
    const first = parseLine(lines[0] as string);
    if (first) this.#oldestTime = Date.parse(first.time);
    return { lines, end: { segment, offset: offset + start } };
  }

  /** Moves the cursor past an acknowledged batch, persists it, and deletes segments now wholly delivered. */
  async ack(end: SpoolPosition, head?: ChainHead): Promise<void> {
    this.#cursor = { ...end, seq: head?.seq ?? this.#cursor.seq, hash: head?.hash ?? this.#cursor.hash };
    const file = join(this.dir, CURSOR_FILE);
    const temporary = `${file}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(this.#cursor)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    for (const index of [...this.#sizes.keys()]) {
      if (index < end.segment && index !== this.#writeSegment) {
        await unlink(segmentPath(this.dir, index)).catch(() => undefined);
        this.#sizes.delete(index);
      }
    }
  }

  async close(): Promise<void> {
    await this.#file?.close();
    this.#file = undefined;
  }
}

async function readCursor(dir: string): Promise<Cursor | undefined> {
  try {
    const cursor = JSON.parse(await readFile(join(dir, CURSOR_FILE), 'utf8')) as Partial<Cursor>;
    if (typeof cursor.segment === 'number' && typeof cursor.offset === 'number' && typeof cursor.seq === 'number' && typeof cursor.hash === 'string') {
      return cursor as Cursor;
    }
  } catch {
    // missing or unreadable: start from the first line we have (duplicates are harmless)
  }
  return undefined;
}

async function readFirstLine(path: string): Promise<string | undefined> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(256 * 1024);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const newline = buffer.subarray(0, bytesRead).indexOf(NEWLINE);
    return newline > 0 ? buffer.toString('utf8', 0, newline) : undefined;
  } finally {
    await file.close();
  }
}

/** Cuts a torn last line off a segment; returns its size and its last event. */
async function repairSegment(path: string): Promise<{ size: number; last?: ChainHead }> {
  const data = await readFile(path);
  const end = data.lastIndexOf(NEWLINE) + 1;
  if (end < data.length) {
    const file = await open(path, 'r+');
    try {
      await file.truncate(end);
      await file.datasync();
    } finally {
      await file.close();
    }
  }
  const text = data.toString('utf8', 0, end);
  const lines = text.split('\n').filter((line) => line !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    const last = parseLine(lines[i] as string);
    if (last) return { size: end, last: { seq: last.seq, hash: last.hash } };
  }
  return { size: end };
}

/** fsync a folder, so a new file's name survives a crash too (Linux; elsewhere best effort). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // not supported on this platform
  }
}
