// Entry point: node --require @lookout/otel-bootstrap/register apps/reviewer/src/main.ts
import { getLogger } from '@lookout/logger';
import { listen } from '@lookout/service-kit';
import { createReviewerApp } from './app.ts';
import { ConfigError, loadReviewerConfig, type ReviewerConfig } from './config.ts';

const log = getLogger('reviewer');

function loadConfig(): ReviewerConfig {
  try {
    return loadReviewerConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.error({ error: error.message }, 'bad configuration; not starting');
    process.exit(1);
  }
}

const config = loadConfig();
await listen(createReviewerApp({ review: config.review, maxBodyBytes: config.maxBodyBytes }), { port: config.port, host: config.host });
