// Entry point: node --require @lookout/otel-bootstrap/register apps/canary/src/main.ts
// npm start and compose set OTEL_TRACES_SAMPLER=always_on for it: every probe run is a whole trace.
import { Redis } from 'ioredis';
import { ApiKeyStore } from '@lookout/apikeys';
import { createAudit } from '@lookout/audit';
import { createInstruments } from '@lookout/catalog';
import { getLogger } from '@lookout/logger';
import { getMeter, getTracer } from '@lookout/otel-bootstrap';
import { ConfigError, createServiceApp, finishServiceApp, listen } from '@lookout/service-kit';
import { ensureCanaryKey } from './api-key.ts';
import { loadCanaryConfig } from './config.ts';
import { createRunner, startRounds, SYNTHETIC } from './runner.ts';

const log = getLogger('canary');

function loadConfig() {
  try {
    return loadCanaryConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.error({ error: error.message }, 'bad configuration; not starting');
    process.exit(1);
  }
}

const config = loadConfig();
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
const audit = await createAudit({ service: process.env.OTEL_SERVICE_NAME?.trim() || 'canary' });
const { token, created } = await ensureCanaryKey(new ApiKeyStore(redis), config.keyFile, audit);
log.info({ ...SYNTHETIC, key_file: config.keyFile, created }, created ? 'created the canary API key' : 'using the canary API key');
// The key is all Redis is needed for.
await redis.quit().catch(() => redis.disconnect());

const runner = createRunner({
  mcpUrl: config.mcpUrl,
  token,
  deadlineMs: config.deadlineMs,
  jobDeadlineMs: config.jobDeadlineMs,
  instruments: createInstruments(getMeter('@lookout/canary'), 'canary'),
  tracer: getTracer('@lookout/canary'),
  logger: log,
});
const stopRounds = startRounds(runner.round, config.intervalMs, log);

await listen(finishServiceApp(createServiceApp({ name: 'canary' })), {
  port: config.port,
  host: config.host,
  drainTimeoutMs: 1000,
  onClose: async () => {
    await stopRounds();
    await audit.close({ deliverTimeoutMs: 2000 });
  },
});
