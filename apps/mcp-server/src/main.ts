// Entry point: node --require @lookout/otel-bootstrap/register apps/mcp-server/src/main.ts
// Configuration comes from the environment (see config.ts and the README); a bad value stops the
// process with exit code 1 and a message naming the variable.
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { ApiKeyStore } from '@lookout/apikeys';
import { createAudit, type Audit } from '@lookout/audit';
import { createInstruments } from '@lookout/catalog';
import { getLogger } from '@lookout/logger';
import { getMeter, shutdown } from '@lookout/otel-bootstrap';
import { REVIEW_QUEUE, ReviewStore, type JobData } from '@lookout/reviews';
import { listen } from '@lookout/service-kit';
import { ConfigError, loadConfig, type McpServerConfig } from './config.ts';
import { createReviewerClient } from './reviewer-client.ts';
import { createMcpApp } from './server.ts';

const log = getLogger('mcp-server');

const SEED_ATTEMPTS = 10;
const SEED_RETRY_MS = 1000;

/**
 * Stores LOOKOUT_SEED_API_KEY (its hash) unless its key id is there; waits a little for Redis to come up.
 * A key actually stored is a privileged change, so it is audited (actor: this service).
 */
async function seedApiKey(apiKeys: ApiKeyStore, token: string, audit: Audit): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { keyId, status } = await apiKeys.importApiKey(token, { name: 'seed' });
      if (status === 'created') {
        // Recorded once, here: a retry of the loop would find the key 'present' and record nothing.
        await audit
          .record({ action: 'admin.apikey.import', actor: { type: 'service', id: process.env.OTEL_SERVICE_NAME?.trim() || 'mcp-server' }, target: { type: 'api_key', id: keyId }, outcome: 'success', metadata: { name: 'seed', source: 'LOOKOUT_SEED_API_KEY' } })
          .catch((error: unknown) => log.error({ err: error }, 'could not record the seeded API key in the audit trail'));
      }
      if (status === 'conflict') log.warn({ key_id: keyId }, 'LOOKOUT_SEED_API_KEY: this key id is stored with another secret; the stored key stays');
      else log.info({ key_id: keyId, status }, 'LOOKOUT_SEED_API_KEY stored (hash only)');
      return;
    } catch (error) {
      if (attempt >= SEED_ATTEMPTS) throw error;
      log.warn({ err: error, attempt }, 'could not store LOOKOUT_SEED_API_KEY yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, SEED_RETRY_MS));
    }
  }
}

async function start(config: McpServerConfig): Promise<void> {
  // Commands fail after two reconnection attempts instead of queueing forever: a request should
  // fail (and /health/ready say why) while Redis is away.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  // QueueEvents blocks on its connection, which BullMQ requires to retry forever.
  const eventsRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  for (const client of [redis, eventsRedis]) client.on('error', (error: Error) => log.warn({ err: error }, 'redis connection error'));
  const queue = new Queue<JobData>(REVIEW_QUEUE, { connection: redis });
  const queueEvents = new QueueEvents(REVIEW_QUEUE, { connection: eventsRedis });
  queue.on('error', (error) => log.warn({ err: error }, 'queue error'));
  queueEvents.on('error', (error) => log.warn({ err: error }, 'queue events error'));

  // Spool under LOOKOUT_AUDIT_SPOOL_DIR (default ./.data/audit/<service>), shipped over OTLP to the collector.
  const audit = await createAudit({ service: process.env.OTEL_SERVICE_NAME?.trim() || 'mcp-server' });
  const apiKeys = new ApiKeyStore(redis);
  if (config.seedApiKey) await seedApiKey(apiKeys, config.seedApiKey, audit);

  const reviewer = createReviewerClient({ baseUrl: config.reviewerUrl, timeoutMs: config.reviewerTimeoutMs });
  const app = createMcpApp({
    apiKeys,
    store: new ReviewStore(redis),
    queue,
    queueEvents,
    reviewer,
    digestTimeoutMs: config.digestTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    instruments: createInstruments(getMeter('@lookout/mcp-server'), 'mcp-server'),
    audit,
    ready: { redis: () => redis.ping(), reviewer: () => reviewer.health() },
  });
  await listen(app, {
    port: config.port,
    host: config.host,
    onClose: async () => {
      await queueEvents.close();
      await queue.close();
      await Promise.all([redis.quit(), eventsRedis.quit()]);
      // What is not delivered by then stays spooled; the next start of this service sends it.
      await audit.close({ deliverTimeoutMs: 2000 });
    },
  });
}

async function main(): Promise<void> {
  let config: McpServerConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The message says all; a stack would only bury it.
    log.fatal(error.message);
    await shutdown();
    process.exit(1);
  }
  await start(config);
}

main().catch(async (error: unknown) => {
  log.fatal({ err: error }, 'mcp-server failed to start');
  await shutdown();
  process.exit(1);
});
