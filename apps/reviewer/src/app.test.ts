import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstruments } from '@lookout/catalog';
import { createTestMeter } from '@lookout/catalog/testing';
import { listen, type RunningService } from '@lookout/service-kit';
import { createReviewerApp } from './app.ts';
import { loadPipelineOptions } from '@lookout/review-pipeline';
import { SAMPLE_DIFF } from './sample-diff.test-support.ts';

interface ReviewResponse {
  findings: { module: string; line: number | null; file: string | null; message: string }[];
  outcome: string;
  modules: { name: string; outcome: string }[];
  durationSeconds: number;
}

const meter = createTestMeter();
let service: RunningService;

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${service.url}/review`, { method: 'POST', headers, body });

beforeAll(async () => {
  const app = createReviewerApp({
    review: loadPipelineOptions({}),
    maxBodyBytes: 4096,
    deps: { instruments: createInstruments(meter.meter, 'reviewer') },
  });
  service = await listen(app, { port: 0, handleSignals: false });
});
afterAll(async () => {
  await service?.close();
  await meter.shutdown();
});

describe('POST /review', () => {
  it('returns the findings, outcome and module reports for a diff', async () => {
    const res = await post(JSON.stringify({ diff: SAMPLE_DIFF }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReviewResponse;
    expect(body.outcome).toBe('success');
    expect(body.findings.map((f) => [f.module, f.line])).toEqual([
      ['secrets', 4],
      ['todos', 2],
      ['debug_leftovers', 3],
    ]);
    expect(body.modules.map((m) => m.name)).toEqual(['secrets', 'todos', 'oversized_change', 'debug_leftovers']);
    expect(typeof body.durationSeconds).toBe('number');
    // The secret is reported, never echoed.
    expect(JSON.stringify(body)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const reviews = await meter.points('lookout.reviews');
    expect(reviews).toEqual([{ attributes: { outcome: 'success' }, value: 1 }]);
  });

  it('runs only the configured modules', async () => {
    const app = createReviewerApp({ review: loadPipelineOptions({ LOOKOUT_REVIEWER_MODULES: 'todos' }) });
    const only = await listen(app, { port: 0, handleSignals: false });
    try {
      const res = await fetch(`${only.url}/review`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ diff: SAMPLE_DIFF }) });
      const body = (await res.json()) as ReviewResponse;
      expect(body.findings.map((f) => f.module)).toEqual(['todos']);
      expect(body.modules.map((m) => m.name)).toEqual(['todos']);
    } finally {
      await only.close();
    }
  });

  it.each([
    ['a missing diff', JSON.stringify({}), 400, 'invalid_request', 'diff is required'],
    ['a diff of the wrong type', JSON.stringify({ diff: 42 }), 400, 'invalid_request', 'diff must be a string'],
    ['a body that is not an object', JSON.stringify(['diff']), 400, 'invalid_request', 'body:'],
    ['malformed JSON', '{"diff": ', 400, 'malformed_json', 'not valid JSON'],
    ['text that is not a diff', JSON.stringify({ diff: 'hello, reviewer' }), 400, 'invalid_diff', 'not a unified diff'],
    ['a body over the limit', JSON.stringify({ diff: `+${'x'.repeat(5000)}` }), 413, 'payload_too_large', 'larger than the limit'],
  ])('answers %s with %i and a clear message, no stack', async (_what, body, status, code, message) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    const text = await res.text();
    const parsed = JSON.parse(text);
    expect(parsed.error.code).toBe(code);
    expect(parsed.error.message).toContain(message);
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await post(SAMPLE_DIFF, { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
  });

  it('serves /health and /health/ready', async () => {
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', service: 'reviewer' });
  });
});
