// What a client sends must not reach an exported span verbatim, nor decide the sampling: real
// child processes with the bootstrap, exporting over OTLP to the test receiver (the real exporter
// path, serializer included). Each case failed before the fix.
import { randomBytes } from 'node:crypto';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UNMATCHED_PATH } from './span-masking.ts';
import { REGISTER, runningApps, startFixtureApp } from './testing/fixture-app.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@lookout/testkit';
import { sampledTraceId, unsampledTraceId } from './testing/trace-ids.ts';

const SERVER = 2; // SpanKind.SERVER + 1 in OTLP numbering
/** No known prefix: only structure (dropping, templating) keeps these out, not a pattern. */
const opaque = (label: string) => `${label}${randomBytes(24).toString('hex')}`;
/** A shape the logger's masker knows (a GitHub token). */
const GITHUB_TOKEN = `ghp_${randomBytes(18).toString('hex')}`;

const ids = new RandomIdGenerator();
const traceparent = (traceId: string, flags: '00' | '01') => `00-${traceId}-${ids.generateSpanId()}-${flags}`;

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await Promise.all(runningApps.splice(0).map((child) => child.stop(2000)));
  receiver.clear();
});
afterAll(() => receiver.stop());

const endpoint = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
/** Every trace export as received, ids, traceState and all. */
const exportedTraces = () => JSON.stringify(receiver.requests.filter((request) => request.signal === 'traces').map((request) => request.body));
const serverSpanOf = (traceId: string) => (r: OtlpReceiver): ReceivedSpan | undefined => r.spans().find((s) => s.kind === SERVER && s.traceId === traceId);

describe('client strings on server spans', () => {
  it('exports no query, no raw 404 path, no forged client.address or tracestate, and a masked user agent', async () => {
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], endpoint());
    const secrets = { path: opaque('path'), query: opaque('query'), forwarded: opaque('xff'), traceState: opaque('ts') };
    const traceId = ids.generateTraceId();
    const response = await app.get(`/nope/${secrets.path}?token=${secrets.query}&q=${secrets.query}`, {
      'user-agent': `probe/1.0 ${GITHUB_TOKEN}`,
      'x-forwarded-for': `${secrets.forwarded}, 198.51.100.7`,
      forwarded: `for=198.51.100.8;by=${secrets.forwarded}`,
      traceparent: traceparent(traceId, '01'),
      tracestate: `probe=${secrets.traceState}`,
    });
    expect(response.status).toBe(404);

    const span = await receiver.waitFor(serverSpanOf(traceId), { what: 'the 404 server span' });
    expect(span.attributes['url.path']).toBe(UNMATCHED_PATH);
    expect(span.attributes['url.query']).toBeUndefined();
    expect(span.attributes['user_agent.original']).toBe('probe/1.0');
    // Not the first X-Forwarded-For hop nor the Forwarded "for": the socket peer.
    expect(span.attributes['client.address']).toBe('127.0.0.1');
    const exported = exportedTraces();
    for (const secret of [...Object.values(secrets), GITHUB_TOKEN, '198.51.100.7', '198.51.100.8']) expect(exported).not.toContain(secret);
  });

  it('exports the route template as url.path for a matched route', async () => {
    const app = await startFixtureApp('express-app.mjs', ['--import', REGISTER], endpoint());
    const id = opaque('id');
    expect((await app.get(`/users/${id}`)).status).toBe(200);
    const span = await receiver.waitFor((r) => r.spans().find((s) => s.kind === SERVER && s.attributes['http.route'] === '/users/:id'), { what: 'the route span' });
    expect(span.attributes['url.path']).toBe('/users/:id');
    expect(exportedTraces()).not.toContain(id);
  });

  it('takes client.address from X-Forwarded-For only when the peer is a trusted proxy', async () => {
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], { ...endpoint(), LOOKOUT_TRUSTED_PROXIES: '127.0.0.1,::1' });
    const traceId = ids.generateTraceId();
    await app.get('/hello', { 'x-forwarded-for': '203.0.113.50, 198.51.100.7', traceparent: traceparent(traceId, '01') });
    // 127.0.0.1 (us) vouches for 198.51.100.7, which is not a proxy of ours: that is the client.
    expect((await receiver.waitFor(serverSpanOf(traceId), { what: 'the proxied span' })).attributes['client.address']).toBe('198.51.100.7');
  });
});

describe('inbound sampling decisions', () => {
  const ratioEnv = () => ({ ...endpoint(), OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' });

  it('a sampled traceparent does not force sampling: the trace id decides', async () => {
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], ratioEnv());
    const forced = Array.from({ length: 5 }, () => unsampledTraceId());
    for (const traceId of forced) await app.get('/hello', { traceparent: traceparent(traceId, '01') });
    // Sent last, unsampled flag, a trace id the ratio keeps: once it is here, the earlier ones would be too.
    const kept = sampledTraceId();
    await app.get('/hello', { traceparent: traceparent(kept, '00') });
    await receiver.waitFor(serverSpanOf(kept), { what: 'the span the trace id samples' });
    expect(receiver.spans().filter((s) => forced.includes(s.traceId))).toEqual([]);
  });

  it('follows the sampled flag with LOOKOUT_TRUST_INBOUND_SAMPLING=true', async () => {
    const app = await startFixtureApp('http-app.cjs', ['--require', REGISTER], { ...ratioEnv(), LOOKOUT_TRUST_INBOUND_SAMPLING: 'true' });
    const traceId = unsampledTraceId();
    await app.get('/hello', { traceparent: traceparent(traceId, '01') });
    await receiver.waitFor(serverSpanOf(traceId), { what: 'the span its caller asked to sample' });
  });
});
