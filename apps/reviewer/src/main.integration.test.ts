// The reviewer as production starts it: Node 24 from node_modules/.bin, the bootstrap preloaded.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventory, prometheusName, type MetricSpec } from '@lookout/catalog';
import { startProcess, waitUntil, type RunningProcess } from '@lookout/testkit';
import { SAMPLE_DIFF } from './sample-diff.test-support.ts';

const repoRoot = join(import.meta.dirname, '../../..');
const node = join(repoRoot, 'node_modules/.bin/node');
const entry = 'apps/reviewer/src/main.ts';
// No collector in tests: only the in-process Prometheus reader behind /metrics.
const quietTelemetry = { OTEL_SERVICE_NAME: 'reviewer', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

function startReviewer(env: NodeJS.ProcessEnv): RunningProcess {
  return startProcess({ name: 'reviewer', command: node, args: ['--require', '@lookout/otel-bootstrap/register', entry], cwd: repoRoot, env: { ...quietTelemetry, ...env } });
}

/** The url from the one "listening" JSON line. */
function listeningUrl(reviewer: RunningProcess): Promise<string> {
  const find = () => {
    for (const line of reviewer.output().split('\n')) {
      if (!line.includes('"listening"')) continue;
      const parsed = JSON.parse(line) as { msg?: string; url?: string };
      if (parsed.msg === 'listening' && parsed.url) return parsed.url;
    }
    return undefined;
  };
  return waitUntil('the reviewer to log "listening"', find, { context: () => reviewer.tail() });
}

describe('reviewer process', () => {
  let reviewer: RunningProcess;
  let url: string;

  beforeAll(async () => {
    reviewer = startReviewer({ PORT: '0' });
    url = await listeningUrl(reviewer);
  }, 30_000);
  afterAll(async () => {
    await reviewer?.stop();
  });

  it('answers /health and /health/ready', async () => {
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
  });

  it("exposes the reviewer's inventory metrics on /metrics after one review", async () => {
    const review = await fetch(`${url}/review`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ diff: SAMPLE_DIFF }) });
    expect(review.status).toBe(200);
    expect(((await review.json()) as { findings: unknown[] }).findings).toHaveLength(3);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    // Module failures only appear once a module has failed; every other reviewer metric is recorded by one review.
    const expected = (Object.values(inventory) as MetricSpec[]).filter((m) => m.service === 'reviewer' && m.name !== 'lookout.review.module.failures');
    expect(expected.length).toBeGreaterThanOrEqual(4);
    for (const metric of expected) expect(metrics, metric.name).toContain(`# TYPE ${prometheusName(metric.name, metric.instrument)} `);
    expect(metrics).toMatch(/lookout_reviews_total\{[^}]*outcome="success"[^}]*\} 1/);
  });

  it('answers a body that does not match its Content-Encoding with 400 and a JSON error, not 500', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await fetch(`${url}/review`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: JSON.stringify({ diff: SAMPLE_DIFF }) });
      expect(res.status, encoding).toBe(400);
      expect(await res.json(), encoding).toMatchObject({ error: { code: 'bad_content_encoding' } });
    }
  });

  it('replaces a client request id that is not a UUID, and logs none of what the client put in x-request-id or baggage', async () => {
    const secrets = ['hunter2-reviewer-reqid-SECRET', 'hunter2-reviewer-baggage-SECRET', 'hunter2-reviewer-user-SECRET'];
    const res = await fetch(`${url}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': secrets[0] as string, baggage: `request_id=${secrets[1]},user_id=${secrets[2]},note=${secrets[1]}` },
      body: JSON.stringify({ diff: 'not a diff' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    for (const secret of secrets) expect(reviewer.output()).not.toContain(secret);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await reviewer.stop()).toBe(0);
  });
});

describe('reviewer process with a bad environment', () => {
  it('exits 1 with a message naming the variable', async () => {
    const reviewer = startReviewer({ PORT: '0', LOOKOUT_REVIEWER_MODULES: 'secrets,spelling' });
    const code = await reviewer.exited;
    expect(code).toBe(1);
    expect(reviewer.output()).toContain('LOOKOUT_REVIEWER_MODULES');
    expect(reviewer.output()).not.toContain('"msg":"listening"');
  }, 30_000);
});
