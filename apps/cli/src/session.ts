// What every command shares: who the operator is, the audit trail (opened on first use), Redis.
import { userInfo } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { Redis } from 'ioredis';
import { createAudit, looksSecret, type Audit, type AuditInput } from '@lookout/audit';
import { DeniedError } from './errors.ts';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export interface GlobalOptions {
  redisUrl: string;
}

// A job id as Lookout makes them: a review id (UUID) or BullMQ's own counter.
const JOB_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{1,20})$/;

/** One --id value: a job id (it is recorded), else a usage error before anything runs. */
export function parseJobId(value: string, previous: string[] = []): string[] {
  if (!JOB_ID.test(value)) throw new InvalidArgumentError('must be a job id: a review id (UUID) or a number, as `lookout jobs` and the worker print them');
  return [...previous, value];
}

// An API key's name: a short label, shown in listings and recorded in the audit trail.
const KEY_NAME = /^\w[\w .@:-]{0,99}$/;

/** True when --name is a label that may be stored and recorded: plain characters, nothing secret-shaped. */
export const isKeyName = (name: string): boolean => KEY_NAME.test(name) && !looksSecret(name);

export function parseRedisUrl(value: string): string {
  if (!/^rediss?:\/\/\S+$/.test(value)) throw new InvalidArgumentError('must be a redis:// or rediss:// URL');
  return value;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export const CLI_SERVICE = 'lookout-cli';

export class Session {
  readonly io: Io;
  readonly #options: GlobalOptions;
  #audit: Promise<Audit> | undefined;
  readonly #redis: Redis[] = [];

  constructor(io: Io, options: GlobalOptions) {
    this.io = io;
    this.#options = options;
  }

  /**
   * The operator recorded on every event: the OS user, which the system attests. There is no flag to
   * name someone else: a self-declared actor is client input, and would let anyone write any name
   * (or a pasted secret) into the audit trail.
   */
  get actor() {
    return { type: 'operator', id: osUser() };
  }

  audit(): Promise<Audit> {
    this.#audit ??= createAudit({ service: CLI_SERVICE, spoolDir: this.io.env.LOOKOUT_AUDIT_SPOOL_DIR?.trim() || '.data/audit/lookout-cli' });
    return this.#audit;
  }

  /**
   * Runs a privileged operation and records its outcome (success, failure, or denied for a
   * DeniedError) with the operator. Refuses to start when the audit spool is full: an operation
   * that could not be audited is not done.
   */
  async audited<T>(
    event: Pick<AuditInput, 'action' | 'target'> & { metadata?: Record<string, string | number | boolean | string[]> },
    run: () => Promise<T>,
    describe: (result: T) => Partial<Pick<AuditInput, 'target' | 'metadata' | 'outcome' | 'reason'>> = () => ({}),
  ): Promise<T> {
    const audit = await this.audit();
    if (!audit.hasRoom()) throw new Error(`the audit spool (${audit.streamDir}) is full, so nothing privileged runs; deliver it first (lookout audit flush) once the collector is reachable`);
    const base = { ...event, actor: this.actor, metadata: { ...event.metadata } };
    let result: T;
    try {
      result = await run();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await audit.record({ ...base, outcome: error instanceof DeniedError ? 'denied' : 'failure', reason: message });
      throw error;
    }
    const extra = describe(result);
    await audit.record({ ...base, outcome: 'success', ...extra, metadata: { ...base.metadata, ...extra.metadata } });
    return result;
  }

  /** A Redis client that fails fast (one attempt, no offline queue): a CLI should say at once that Redis is not there. */
  async redis(): Promise<Redis> {
    const redis = new Redis(this.#options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
    this.#redis.push(redis);
    let connectionError: Error | undefined;
    redis.on('error', (error: Error) => (connectionError ??= error));
    await redis.connect().catch((error: unknown) => {
      const cause = connectionError ?? error;
      throw new Error(`cannot reach Redis at ${this.#options.redisUrl.replace(/\/\/[^@/]*@/, '//')}: ${cause instanceof Error ? cause.message : String(cause)} (set --redis-url or REDIS_URL)`);
    });
    return redis;
  }

  /** Disconnects Redis and tries for a while to deliver the audit events; what is left stays spooled for the next run. */
  async close(): Promise<void> {
    for (const redis of this.#redis) redis.disconnect();
    if (!this.#audit) return;
    const audit = await this.#audit;
    const timeout = Number(this.io.env.LOOKOUT_AUDIT_DELIVER_TIMEOUT_MS ?? 3000);
    await audit.close({ deliverTimeoutMs: Number.isFinite(timeout) && timeout >= 0 ? timeout : 3000 });
    const left = audit.stats().events;
    if (left > 0) {
      this.io.stderr(`note: ${left} audit event(s) are spooled in ${audit.streamDir} and not yet delivered (collector unreachable?); the next lookout command sends them, or run: lookout audit flush\n`);
    }
  }
}
