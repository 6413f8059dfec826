// Sends spooled events in order, a batch at a time, and moves the cursor only when the receiver
// acknowledged the batch. Retries forever with capped exponential backoff (and jitter).
import { getLogger } from '@lookout/logger';
import type { AuditEvent } from './schema.ts';
import type { StreamSpool } from './spool.ts';

const log = getLogger('audit');

export interface AuditBatch {
  events: AuditEvent[];
  /** Each event's stored line (its canonical JSON): what a sender carries as the log body. */
  lines: string[];
}

/** Delivers one batch; resolves once the receiver accepted it, rejects otherwise. */
export type AuditSender = (batch: AuditBatch) => Promise<void>;

export interface ShipperOptions {
  /** Events per request. Default 256. */
  batchSize?: number;
  /** First retry delay after a failed send. Default 500 ms. */
  initialBackoffMs?: number;
  /** Longest retry delay. Default 30 s. */
  maxBackoffMs?: number;
  /** Called after every acknowledged batch (tests, drain). */
  onDelivered?: () => void;
}

export class Shipper {
  readonly #spool: StreamSpool;
  readonly #send: AuditSender;
  readonly #batchSize: number;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #waiters = new Set<(stopping?: boolean) => void>();
  #wake: (() => void) | undefined;
  #stopped = false;
  #loop: Promise<void> | undefined;
  #failing = false;

  constructor(spool: StreamSpool, send: AuditSender, options: ShipperOptions = {}) {
    this.#spool = spool;
    this.#send = send;
    this.#batchSize = options.batchSize ?? 256;
    this.#initialBackoffMs = options.initialBackoffMs ?? 500;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** New events were spooled: stop idling. */
  notify(): void {
    this.#wake?.();
  }

  /** Resolves true once nothing is undelivered, false when timeoutMs passed or the shipper stopped first. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.#spool.pendingEvents() === 0) return true;
    if (this.#stopped) return false;
    this.notify();
    return new Promise((resolve) => {
      const check = (stopping?: boolean) => {
        if (stopping) return finish(false);
        if (this.#spool.pendingEvents() > 0) return;
        finish(true);
      };
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.#waiters.add(check);
    });
  }

  /**
   * Stops the loop. A send still in flight is given up to graceMs; if it is acknowledged later its
   * cursor is not moved, so those events are sent again by the next owner (duplicates are harmless).
   */
  async stop(graceMs = 1000): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    for (const waiter of [...this.#waiters]) waiter(true);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => (this.#wake = undefined));
  }

  async #run(): Promise<void> {
    let backoff = this.#initialBackoffMs;
    while (!this.#stopped) {
      const batch = await this.#spool.readBatch(this.#batchSize);
      if (!batch) {
        // Idle: record() wakes us; the timer is only a safety net.
        await this.#sleep(5_000);
        continue;
      }
      const events: AuditEvent[] = [];
      const lines: string[] = [];
      for (const line of batch.lines) {
        try {
          events.push(JSON.parse(line) as AuditEvent);
          lines.push(line);
        } catch {
          // Only disk corruption makes a line unreadable; verify will report the gap it leaves.
          log.error({ spool: this.#spool.dir }, 'audit spool line is not JSON; skipping it');
        }
      }
      try {
        if (events.length > 0) await this.#send({ events, lines });
        if (this.#stopped) break;
        const last = events.at(-1);
        await this.#spool.ack(batch.end, last ? { seq: last.seq, hash: last.hash } : undefined);
        if (this.#failing) log.info({ pending: this.#spool.pendingEvents() }, 'audit delivery resumed');
        this.#failing = false;
        backoff = this.#initialBackoffMs;
        for (const waiter of [...this.#waiters]) waiter();
      } catch (error) {
        // Once per outage at warn level: the gauges show how it goes on.
        if (!this.#failing) log.warn({ err: error, pending: this.#spool.pendingEvents() }, 'audit delivery failed; retrying until it succeeds');
        this.#failing = true;
        const jittered = backoff * (0.8 + Math.random() * 0.4);
        backoff = Math.min(backoff * 2, this.#maxBackoffMs);
        await this.#sleep(jittered);
      }
    }
  }
}
