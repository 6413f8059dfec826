import { findLeaks, SAFE_CORPUS, SECRET_CORPUS } from '@lookout/logger/testing';
import { collectorMissing, startCollector, waitUntil, type CollectorSignal, type TestCollector } from '@lookout/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logRecords, logsRequest, metricsRequest, postOtlp, tracesRequest } from './otlp.ts';

const skip = collectorMissing();
const SIGNALS: CollectorSignal[] = ['traces', 'metrics', 'logs', 'audit'];

describe.skipIf(skip)('test mode: signals land in their files, audit only in audit.jsonl', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startCollector({ config: 'test' });
  });
  afterAll(() => collector?.stop());

  const everything = () => SIGNALS.map((signal) => JSON.stringify(collector.read(signal))).join('\n');

  it('writes traces, metrics and logs posted as OTLP/JSON to traces/metrics/logs.jsonl', async () => {
    await postOtlp(collector.otlpHttpUrl, 'traces', tracesRequest('reviewer', [{ name: 'GET /reviews', attributes: { 'http.route': '/reviews' } }]));
    await postOtlp(collector.otlpHttpUrl, 'metrics', metricsRequest('reviewer', 'reviewer-1'));
    await postOtlp(collector.otlpHttpUrl, 'logs', logsRequest('reviewer', [{ body: 'plain app log 1c4f' }]));
    await waitUntil('all three files', () => SIGNALS.slice(0, 3).every((s) => collector.read(s).length > 0), { context: everything });
    expect(JSON.stringify(collector.read('traces'))).toContain('GET /reviews');
    expect(JSON.stringify(collector.read('metrics'))).toContain('lookout.review.duration');
    expect(logRecords(collector.read('logs')).map((r) => r.body)).toContain('plain app log 1c4f');
    // Resource normalisation: the environment is filled in when the service did not set one.
    expect(JSON.stringify(collector.read('traces'))).toContain('deployment.environment.name');
  });

  it('sends a record with scope @lookout/audit, or log.type=audit, ONLY to audit.jsonl and an app record ONLY to logs.jsonl', async () => {
    await postOtlp(
      collector.otlpHttpUrl,
      'logs',
      logsRequest('reviewer', [
        { body: 'audit by scope 7d2e', scope: '@lookout/audit' },
        { body: 'audit by attribute 9a0b', scope: 'legacy-emitter', attributes: { 'log.type': 'audit' } },
        { body: 'app record 5e6f', scope: '@lookout/logger' },
        // Near misses stay app logs: another scope that merely mentions audit, another log.type.
        { body: 'app near miss 3c3c', scope: '@lookout/audit-helpers', attributes: { 'log.type': 'access' } },
      ]),
    );
    await waitUntil('the audit and app records', () => {
      const text = everything();
      return ['audit by scope 7d2e', 'audit by attribute 9a0b', 'app record 5e6f', 'app near miss 3c3c'].every((m) => text.includes(m));
    }, { context: everything });
    const audit = logRecords(collector.read('audit')).map((r) => r.body);
    const app = logRecords(collector.read('logs')).map((r) => r.body);
    expect(audit).toEqual(expect.arrayContaining(['audit by scope 7d2e', 'audit by attribute 9a0b']));
    expect(audit).not.toContain('app record 5e6f');
    expect(audit).not.toContain('app near miss 3c3c');
    expect(app).toEqual(expect.arrayContaining(['app record 5e6f', 'app near miss 3c3c']));
    expect(app).not.toContain('audit by scope 7d2e');
    expect(app).not.toContain('audit by attribute 9a0b');
  });
});

describe.skipIf(skip)('test mode: secrets are masked in traces and app logs (defence in depth behind the logger), not in audit', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startCollector({ config: 'test' });
    const spans = SECRET_CORPUS.map((sample) => ({
      name: `span ${sample.name}`,
      attributes: {
        'http.request.header.authorization': [`Bearer ${sample.secret}`],
        'http.request.header.cookie': [`session=${sample.secret}`],
        'http.response.header.set-cookie': [`sid=${sample.secret}; HttpOnly`],
        'http.request.header.proxy-authorization': [`Basic ${sample.secret}`],
        'url.full': `https://api.example.com/v1/items?page=2&token=${encodeURIComponent(sample.secret)}`,
        'url.query': `api_key=${encodeURIComponent(sample.secret)}&sort=asc`,
        'server.url': `https://reviewer:${encodeURIComponent(sample.secret)}@git.example.com/repo.git`,
        // Free text, as instrumentations put it in db statements and error messages.
        'error.message': sample.text,
        // A JSON document inside a string (a Redis SET of a job payload): quotes arrive escaped.
        'db.query.text': `SET review:1 ${JSON.stringify({ diff: `+${sample.text}` })}`,
      },
      eventMessage: sample.text,
    }));
    await postOtlp(collector.otlpHttpUrl, 'traces', tracesRequest('reviewer', spans));
    await postOtlp(
      collector.otlpHttpUrl,
      'logs',
      logsRequest('reviewer', [
        ...SECRET_CORPUS.map((sample) => ({ body: sample.text, attributes: { 'exception.message': sample.text } })),
        ...SECRET_CORPUS.map((sample) => ({ body: `audit: ${sample.text}`, scope: '@lookout/audit' })),
        ...SAFE_CORPUS.map((sample) => ({ body: sample.text })),
      ]),
    );
    await waitUntil('traces, logs and audit written', () => ['traces', 'logs', 'audit'].every((s) => collector.read(s as CollectorSignal).length > 0));
    // Everything was in one request per signal, so once a file has a line it has all of it.
  });
  afterAll(() => collector?.stop());

  const raw = (signal: CollectorSignal) => collector.read(signal).map((line) => JSON.stringify(line)).join('\n');
  // JSON.stringify escapes newlines; compare against the decoded strings instead, per value.
  const strings = (signal: CollectorSignal): string => {
    const out: string[] = [];
    const walk = (value: unknown) => {
      if (typeof value === 'string') out.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    collector.read(signal).forEach(walk);
    return out.join('\n');
  };

  it('header attributes (authorization, cookie, set-cookie, proxy-authorization) are replaced whole', () => {
    const traces = raw('traces');
    expect(traces).toContain('"key":"http.request.header.authorization","value":{"stringValue":"[REDACTED]"}');
    expect(traces).toContain('"key":"http.response.header.set-cookie","value":{"stringValue":"[REDACTED]"}');
  });

  it('masking did happen: every corpus log body carries a [REDACTED] marker', () => {
    const masked = logRecords(collector.read('logs')).filter((r) => r.body.includes('[REDACTED]'));
    expect(masked.length).toBe(SECRET_CORPUS.length);
  });

  it('no secret of the corpus survives in span attributes, span events, log bodies or log attributes', () => {
    for (const signal of ['traces', 'logs'] as const) {
      expect(findLeaks(strings(signal)), signal).toEqual([]);
    }
  });

  it('leaves audit records exactly as sent: routed before the mask, since @lookout/audit masks before hashing', () => {
    const audit = logRecords(collector.read('audit')).map((r) => r.body);
    expect(audit.sort()).toEqual(SECRET_CORPUS.map((sample) => `audit: ${sample.text}`).sort());
  });

  it('look-alikes that are not secrets come through unchanged', () => {
    const bodies = logRecords(collector.read('logs')).map((r) => r.body);
    const mangled = SAFE_CORPUS.filter((sample) => !bodies.includes(sample.text)).map((sample) => sample.name);
    expect(mangled).toEqual([]);
  });
});
