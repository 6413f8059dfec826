import { join } from 'node:path';
import { context, metrics, trace, type Meter } from '@opentelemetry/api';
import { createInstruments } from '@lookout/catalog';
import { getLogContext, isRequestId } from '@lookout/logger';
import { canonicalJson, eventHash } from './canonical.ts';
import { uuidv7 } from './ids.ts';
import { AuditValidationError, cleanInput, type AuditEvent, type AuditInput, type CleanInput } from './schema.ts';
import { createOtlpSender } from './otlp.ts';
import { Shipper, type AuditSender } from './shipper.ts';
import { SpoolFullError, StreamSpool } from './spool.ts';
import { shipOrphans } from './orphans.ts';
import { holdStreams } from './streams.ts';

export interface CreateAuditOptions {
  /** The `service` of every event and the OTLP resource's service.name. Default: OTEL_SERVICE_NAME, else "unknown_service". */
  service?: string;
  /** Folder of this service's spool (one sub-folder per stream). Default: LOOKOUT_AUDIT_SPOOL_DIR, else ./.data/audit/<service>. */
  spoolDir?: string;
  /** Undelivered bytes the spool may hold before record() rejects. Default: LOOKOUT_AUDIT_SPOOL_MAX_BYTES, else 256 MiB. */
  maxSpoolBytes?: number;
  /** Size at which a new segment file starts. Default 8 MiB. */
  segmentBytes?: number;
  /** How events leave the spool. Default: OTLP/HTTP logs to otlpLogsUrl() (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT). */
  sender?: AuditSender;
  /** OTLP logs URL for the default sender. */
  endpoint?: string;
  /** false: spool only, nothing is shipped (tests, offline tools). Default true. */
  ship?: boolean;
  /** Events per OTLP request. Default 256. */
  batchSize?: number;
  /** Retry delays after a failed delivery: first and longest. Defaults 500 ms and 30 s. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Meter for the spool gauges. Default: the global meter "@lookout/audit" (no-op without an SDK). */
  meter?: Meter;
  /** Clock. Default Date.now. */
  now?: () => number;
}

export interface SpoolStats {
  /** Events written but not yet acknowledged by the collector. */
  events: number;
  /** Their bytes on disk. */
  bytes: number;
  /** Seconds since the oldest of them was recorded; 0 when none waits. */
  oldestAgeSeconds: number;
}

export interface Audit {
  /** This process's stream: every event it records carries it, chained in `seq` order. */
  readonly streamId: string;
  /** The stream's folder (segment files and cursor.json). */
  readonly streamDir: string;
  /** Validates, masks, chains and appends one event; resolves once it is fsync'd to the spool. */
  record(input: AuditInput): Promise<AuditEvent>;
  /** False while the spool is full (record would reject): lets a caller refuse an action it could not audit. */
  hasRoom(): boolean;
  stats(): SpoolStats;
  /** Waits until everything spooled is delivered; false when timeoutMs passed first (the rest stays spooled). */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Stops shipping after up to deliverTimeoutMs (default 0) of trying to deliver what is left; releases the stream. */
  close(options?: { deliverTimeoutMs?: number }): Promise<void>;
}

const MIB = 1024 * 1024;
/** Longest stored line: an event is an identifier-sized fact, not a payload. */
export const MAX_EVENT_BYTES = 32 * 1024;

interface Pending {
  event: Omit<AuditEvent, 'stream' | 'seq' | 'prev_hash' | 'hash'>;
  time: number;
  resolve: (event: AuditEvent) => void;
  reject: (error: Error) => void;
}

function positiveEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (bytes)`);
  return value;
}

/** The active request's ids: request_id (a UUID) from the logger's context, trace/span ids from the active span. */
function currentIds(): Pick<AuditEvent, 'request_id' | 'trace_id' | 'span_id'> {
  const ids: Pick<AuditEvent, 'request_id' | 'trace_id' | 'span_id'> = {};
  const { requestId } = getLogContext();
  // Only a UUID: service-kit makes every request id one, so anything else came from a client unchecked.
  if (isRequestId(requestId)) ids.request_id = requestId;
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (spanContext && trace.isSpanContextValid(spanContext)) {
    ids.trace_id = spanContext.traceId;
    ids.span_id = spanContext.spanId;
  }
  return ids;
}

/**
 * Opens (or resumes) this process's audit stream under the spool folder and starts shipping it.
 * One per process is the intent: the spool gauges have no label to tell two apart.
 */
export async function createAudit(options: CreateAuditOptions = {}): Promise<Audit> {
  const service = options.service ?? (process.env.OTEL_SERVICE_NAME?.trim() || 'unknown_service');
  const spoolDir = options.spoolDir ?? (process.env.LOOKOUT_AUDIT_SPOOL_DIR?.trim() || join('.data', 'audit', service));
  const maxBytes = options.maxSpoolBytes ?? positiveEnv('LOOKOUT_AUDIT_SPOOL_MAX_BYTES') ?? 256 * MIB;
  const segmentBytes = options.segmentBytes ?? Math.min(8 * MIB, maxBytes);
  const now = options.now ?? Date.now;

  const { own: held, orphans } = holdStreams(spoolDir, service);
  let spool: StreamSpool;
  try {
    spool = await StreamSpool.open(held.dir, { maxBytes, segmentBytes });
  } catch (error) {
    for (const stream of [held, ...orphans]) stream.release();
    throw error;
  }
  const otlp = options.sender || options.ship === false ? undefined : createOtlpSender({ service, ...(options.endpoint ? { url: options.endpoint } : {}) });
  const send = options.sender ?? otlp?.send;
  const shipperOptions = {
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.initialBackoffMs ? { initialBackoffMs: options.initialBackoffMs } : {}),
    ...(options.maxBackoffMs ? { maxBackoffMs: options.maxBackoffMs } : {}),
  };
  const shipper = send ? new Shipper(spool, send, shipperOptions) : undefined;
  shipper?.start();
  // Streams of processes that are gone, beyond the one adopted above: shipped too, then let go.
  const orphanShipping = await shipOrphans(orphans, { maxBytes, segmentBytes }, send, shipperOptions);

  const stats = (): SpoolStats => {
    const oldest = spool.oldestPendingTime();
    return {
      events: spool.pendingEvents() + orphanShipping.pendingEvents(),
      bytes: spool.pendingBytes() + orphanShipping.pendingBytes(),
      oldestAgeSeconds: oldest === undefined ? 0 : Math.max(0, (now() - oldest) / 1000),
    };
  };
  const gauges = createInstruments(options.meter ?? metrics.getMeter('@lookout/audit'), 'audit');
  const unregister = [
    gauges.auditSpoolSize.addCallback((observer) => observer.observe(stats().events)),
    gauges.auditSpoolUsage.addCallback((observer) => observer.observe(stats().bytes)),
    gauges.auditOldestUndeliveredAge.addCallback((observer) => observer.observe(stats().oldestAgeSeconds)),
  ];

  // Group commit: events recorded while a write is in flight go out together in the next one,
  // so one fdatasync covers many events and record()'s cost stays near one event's hashing.
  let queue: Pending[] = [];
  let inflight: Promise<void> | undefined;
  let closed = false;
  // pendingBytes when an event last did not fit: until delivery frees some, there is no room.
  let fullAt: number | undefined;

  /** Writes everything queued; returns the write already running when there is one. */
  function writeQueued(): Promise<void> {
    inflight ??= (async () => {
      try {
        while (queue.length > 0) {
          const batch = queue;
          queue = [];
          await writeBatch(batch);
        }
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  }

  async function writeBatch(batch: Pending[]): Promise<void> {
    let { seq, hash } = spool.head;
    const room = maxBytes - spool.pendingBytes();
    let used = 0;
    const chunks: Buffer[] = [];
    const written: [Pending, AuditEvent][] = [];
    for (const pending of batch) {
      const event: AuditEvent = { ...pending.event, stream: held.id, seq: seq + 1, prev_hash: hash } as AuditEvent;
      event.hash = eventHash(event);
      const line = Buffer.from(`${canonicalJson(event)}\n`, 'utf8');
      if (line.length > MAX_EVENT_BYTES) {
        pending.reject(new AuditValidationError(`invalid audit event: larger than ${MAX_EVENT_BYTES} bytes once serialised; keep metadata small`));
        continue;
      }
      if (used + line.length > room) {
        fullAt = spool.pendingBytes() + used;
        pending.reject(new SpoolFullError(`audit spool ${held.dir} is full (${maxBytes} bytes undelivered): the collector has not acknowledged events for a while; the event was NOT recorded`));
        continue;
      }
      used += line.length;
      seq = event.seq;
      hash = event.hash;
      chunks.push(line);
      written.push([pending, event]);
    }
    if (written.length === 0) return;
    try {
      await spool.append(Buffer.concat(chunks), { seq, hash }, (written[0] as [Pending, AuditEvent])[0].time);
    } catch (error) {
      for (const [pending] of written) pending.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    for (const [pending, event] of written) pending.resolve(event);
    shipper?.notify();
  }

  return {
    streamId: held.id,
    streamDir: held.dir,
    record(input: AuditInput): Promise<AuditEvent> {
      if (closed) return Promise.reject(new Error('audit is closed'));
      let clean: CleanInput;
      try {
        clean = cleanInput(input);
      } catch (error) {
        return Promise.reject(error);
      }
      const time = now();
      return new Promise((resolve, reject) => {
        queue.push({ event: { event_id: uuidv7(time), time: new Date(time).toISOString(), ...clean, service, ...currentIds() }, time, resolve, reject });
        void writeQueued();
      });
    },
    hasRoom() {
      const pending = spool.pendingBytes();
      if (fullAt !== undefined && pending < fullAt) fullAt = undefined;
      return !closed && fullAt === undefined && pending < maxBytes;
    },
    stats,
    async flush(timeoutMs = 10_000) {
      const [own, others] = await Promise.all([shipper ? shipper.drain(timeoutMs) : spool.pendingEvents() === 0, orphanShipping.drain(timeoutMs)]);
      return own && others;
    },
    async close({ deliverTimeoutMs = 0 } = {}) {
      if (closed) return;
      closed = true;
      await writeQueued();
      if (shipper && deliverTimeoutMs > 0) await Promise.all([shipper.drain(deliverTimeoutMs), orphanShipping.drain(deliverTimeoutMs)]);
      await Promise.all([shipper?.stop(), orphanShipping.stop()]);
      for (const off of unregister) off();
      // The exporter's shutdown waits for a request in flight; the events of one are still spooled.
      await Promise.race([otlp?.shutdown(), new Promise((resolve) => setTimeout(resolve, 200).unref())]);
      await spool.close();
      held.release();
    },
  };
}
