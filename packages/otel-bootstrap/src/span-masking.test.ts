import { SpanKind, SpanStatusCode, TraceFlags, createTraceState, type Attributes } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_TEXT_MAX_LENGTH, maskingExporter, UNMATCHED_PATH } from './span-masking.ts';

const SECRET = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
const memory = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: maskingExporter(memory) })] });
const tracer = provider.getTracer('test');
afterEach(() => memory.reset());

function exported(name: string, attributes: Attributes, more: (span: ReturnType<typeof tracer.startSpan>) => void = () => {}): ReadableSpan {
  memory.reset();
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes });
  more(span);
  span.end();
  const [finished] = memory.getFinishedSpans();
  if (!finished) throw new Error('no span exported');
  return finished;
}

describe('masking on export', () => {
  it('masks secret shapes in the name, attributes, events, links and status', () => {
    const span = exported(`GET /x/${SECRET}`, { 'app.note': `token ${SECRET}`, 'app.list': ['ok', SECRET], 'http.request.header.authorization': ['Bearer abc'], 'app.count': 3 }, (s) => {
      s.addEvent(`event ${SECRET}`, { 'exception.message': `failed for ${SECRET}` });
      s.addLink({ context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, traceState: createTraceState(`v=${SECRET.slice(4)}`) }, attributes: { why: SECRET } });
      s.setStatus({ code: SpanStatusCode.ERROR, message: `bad ${SECRET}` });
    });
    expect(JSON.stringify(span)).not.toContain(SECRET);
    expect(span.name).toBe('GET /x/[REDACTED]');
    expect(span.attributes).toEqual({ 'app.note': 'token [REDACTED]', 'app.list': ['ok', '[REDACTED]'], 'http.request.header.authorization': '[REDACTED]', 'app.count': 3 });
    expect(span.events[0]?.attributes).toEqual({ 'exception.message': 'failed for [REDACTED]' });
    expect(span.links[0]?.context.traceState).toBeUndefined();
    expect(span.status.message).toBe('bad [REDACTED]');
  });

  it('drops url.query, and non-IP client addresses and string JSON-RPC ids', () => {
    const span = exported('GET', { 'url.query': 'q=hunter2', 'client.address': 'not an ip', 'jsonrpc.request.id': 'pwd-hunter2' });
    expect(span.attributes).toEqual({});
    expect(exported('x', { 'client.address': '203.0.113.9', 'jsonrpc.request.id': '7' }).attributes).toEqual({ 'client.address': '203.0.113.9', 'jsonrpc.request.id': '7' });
  });

  it('cuts the query and fragment from url.full, as url.query is dropped, and masks the rest', () => {
    expect(exported('GET', { 'url.full': 'http://reviewer:4101/review?q=hunter2#frag' }).attributes['url.full']).toBe('http://reviewer:4101/review');
    expect(exported('GET', { 'url.full': `http://reviewer:4101/x/${SECRET}` }).attributes['url.full']).toBe('http://reviewer:4101/x/[REDACTED]');
  });

  it('exports the route template as url.path, a fixed value for an unmatched 4xx, else the path masked and bounded', () => {
    expect(exported('GET', { 'url.path': '/users/hunter2', 'http.route': '/users/:id' }).attributes['url.path']).toBe('/users/:id');
    expect(exported('GET', { 'url.path': '/hunter2', 'http.response.status_code': 404 }).attributes['url.path']).toBe(UNMATCHED_PATH);
    expect(exported('GET', { 'url.path': '/x'.repeat(500), 'http.response.status_code': 200 }).attributes['url.path']).toHaveLength(CLIENT_TEXT_MAX_LENGTH);
  });

  it('keeps only the user agent\'s product tokens: no comments, no token-shaped words, at most four', () => {
    const agent = (ua: string) => exported('GET', { 'user_agent.original': ua }).attributes['user_agent.original'];
    expect(agent(`curl/8.5.0 (${SECRET}) ${'a'.repeat(1000)}`)).toBe('curl/8.5.0');
    expect(agent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36')).toBe('Mozilla/5.0 AppleWebKit/537.36 Chrome/120.0.0.0 Safari/537.36');
    // Opaque tokens and keys have digits in the name or letters in the version: not products.
    for (const secret of ['9f8e7d6c5b4a3f2e1d0c9b8a', 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'probe/9f8e7d6c5b4a3f2e', 'a1b2c3d4e5f6a7b8', SECRET]) {
      expect(agent(secret), secret).toBe(UNMATCHED_PATH);
    }
    expect(agent('a/1 b/2 c/3 d/4 e/5')).toBe('a/1 b/2 c/3 d/4');
  });

  it('refuses the batch rather than export it raw when the masker cannot load', async () => {
    const inner = new InMemorySpanExporter();
    const exporter = maskingExporter(inner, () => {
      throw new Error('no masker');
    });
    const span = tracer.startSpan('x');
    span.end();
    const result = await new Promise<{ code: number }>((resolve) => exporter.export(memory.getFinishedSpans(), resolve));
    expect(result.code).toBe(1);
    expect(inner.getFinishedSpans()).toEqual([]);
  });
});
