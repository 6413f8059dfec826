// Streams left behind by processes that are gone (a crash, SIGKILL, an unclean container stop) but not
// adopted as this process's own: their undelivered events are shipped in the background, each stream
// released once it is empty, so no backlog waits for a start that may never pick that stream.
import { getLogger } from '@lookout/logger';
import { Shipper, type AuditSender, type ShipperOptions } from './shipper.ts';
import { StreamSpool, type SpoolLimits } from './spool.ts';
import type { HeldStream } from './streams.ts';

const log = getLogger('audit');

/** How long one wait for an orphan's delivery lasts before it is checked again. */
const DRAIN_STEP_MS = 60_000;

export interface OrphanShipping {
  /** Undelivered events still in orphan streams. */
  pendingEvents(): number;
  pendingBytes(): number;
  /** Resolves true once every orphan is delivered, false when timeoutMs passed first. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Stops shipping; what is left stays spooled (and unlocked) for the next start. */
  stop(): Promise<void>;
}

interface Draining {
  spool: StreamSpool;
  shipper: Shipper;
  /** Stops shipping, closes the spool and drops the lock; once. A delivered stream stops being counted. */
  finish: () => Promise<void>;
}

/** Opens each orphan and ships its backlog; without a sender, orphans are released untouched. */
export async function shipOrphans(orphans: HeldStream[], limits: SpoolLimits, send: AuditSender | undefined, options: ShipperOptions): Promise<OrphanShipping> {
  const draining = new Set<Draining>();
  let stopped = false;
  for (const orphan of orphans) {
    const spool = await StreamSpool.open(orphan.dir, limits).catch((error: unknown) => {
      log.error({ err: error, spool: orphan.dir }, 'could not open an orphaned audit stream; its events stay spooled for the next start');
      return undefined;
    });
    if (!spool || !send || spool.pendingEvents() === 0) {
      await spool?.close();
      orphan.release();
      continue;
    }
    log.info({ spool: orphan.dir, pending: spool.pendingEvents() }, 'shipping the backlog of an orphaned audit stream');
    const shipper = new Shipper(spool, send, options);
    shipper.start();
    let finished: Promise<void> | undefined;
    const entry: Draining = {
      spool,
      shipper,
      finish: () =>
        (finished ??= (async () => {
          // Still counted in pendingEvents() while undelivered, so a caller's last stats() tells the truth.
          if (spool.pendingEvents() === 0) draining.delete(entry);
          await shipper.stop();
          await spool.close();
          orphan.release();
        })()),
    };
    void (async () => {
      while (!stopped && !(await shipper.drain(DRAIN_STEP_MS)));
      if (!stopped) await entry.finish();
    })();
    draining.add(entry);
  }
  const sum = (of: (spool: StreamSpool) => number) => [...draining].reduce((total, { spool }) => total + of(spool), 0);
  return {
    pendingEvents: () => sum((spool) => spool.pendingEvents()),
    pendingBytes: () => sum((spool) => spool.pendingBytes()),
    async drain(timeoutMs) {
      const results = await Promise.all([...draining].map(({ shipper }) => shipper.drain(timeoutMs)));
      return results.every(Boolean);
    },
    async stop() {
      stopped = true;
      await Promise.all([...draining].map(({ finish }) => finish()));
    },
  };
}
