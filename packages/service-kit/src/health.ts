import type { Router } from 'express';
import express from 'express';
import { maskString } from '@lookout/logger';

export type ReadyChecks = Record<string, () => Promise<unknown>>;

const CHECK_TIMEOUT_MS = 2000;

async function runCheck(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (error) {
    // The reason helps an operator; it is masked and cut short because it may quote a connection string.
    return `error: ${maskString(error instanceof Error ? error.message : String(error)).slice(0, 200)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** GET /health is liveness (the process serves); GET /health/ready runs every dependency check. */
export function healthRoutes(service: string, ready: ReadyChecks): Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  router.get('/health/ready', async (_req, res) => {
    const names = Object.keys(ready);
    const results = await Promise.all(names.map((name) => runCheck(ready[name] as () => Promise<unknown>)));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i]]));
    const ok = results.every((result) => result === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready', service, checks });
  });
  return router;
}
