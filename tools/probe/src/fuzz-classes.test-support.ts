// Malformed traffic for the services, one class of fault each, generated from a seeded PRNG. Each
// class has several variants; a request is (class, variant, rng) and nothing else, so a seed replays.
// Classes are named for what a careless client or an attacker sends; see fuzz-malformed.integration.test.ts.
import { gzipSync } from 'node:zlib';
import { HEADER_SAFE, NASTY, type Rng } from './prng.test-support.ts';

export type FuzzService = 'mcp-server' | 'reviewer' | 'worker';

export interface FuzzRequest {
  /** The fault class, e.g. 'invalid-json'. */
  kind: string;
  /** Which generator of the class made it, for the failure report. */
  variant: string;
  service: FuzzService;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** A batch of this many requests: a 2xx must answer each with its own response (JSON-RPC 2.0 §6). */
  batchSize?: number;
}

export interface FuzzContext {
  /** A valid API key, so most requests get past authentication to the code behind it. */
  apiKey: string;
  /** Strings worth sending as names and values (the secret corpus): the leak check then covers them too. */
  payloads: readonly string[];
  /** The MCP endpoint's body limit (LOOKOUT_MAX_BODY_BYTES). */
  maxBodyBytes: number;
}

type Variant = (rng: Rng, ctx: FuzzContext) => Partial<FuzzRequest> & { body?: FuzzRequest['body'] };

const MCP_HEADERS = (ctx: FuzzContext) => ({
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${ctx.apiKey}`,
});
const TOOLS = ['review_diff', 'submit_review_job', 'get_review', 'bot_digest'];
const METHODS = ['initialize', 'ping', 'tools/list', 'tools/call', 'resources/list', 'prompts/list', 'notifications/initialized', 'logging/setLevel', 'completion/complete'];
const DIFF = 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,2 @@\n const a = 1;\n+console.log(a);\n';

const rpc = (method: unknown, params?: unknown, id: unknown = 1) => ({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
const json = (value: unknown) => JSON.stringify(value);
/** encodeURIComponent, with lone surrogates (which it refuses) percent-encoded as the bytes a careless client would send. */
const encodeLoosely = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));
/** A random name: plain, nasty, very long, path-like, or one of the payloads. */
const randomName = (rng: Rng, ctx: FuzzContext): string =>
  rng.pick([
    () => rng.string(rng.int(1, 40)),
    () => rng.string(rng.int(1, 40), NASTY),
    () => rng.string(rng.int(1000, 20_000)),
    () => `tools/../${rng.string(8)}`,
    () => rng.pick(ctx.payloads),
    () => '',
  ])();
/** A random JSON value, bounded in depth and width. */
const randomValue = (rng: Rng, ctx: FuzzContext, depth = 0): unknown => {
  const leaf = [() => null, () => rng.int(-1e9, 1e9), () => rng.next() * 1e308, () => rng.chance(0.5), () => rng.string(rng.int(0, 64), NASTY), () => rng.pick(ctx.payloads)];
  if (depth > 3 || rng.chance(0.5)) return rng.pick(leaf)();
  if (rng.chance(0.5)) return Array.from({ length: rng.int(0, 5) }, () => randomValue(rng, ctx, depth + 1));
  return Object.fromEntries(Array.from({ length: rng.int(0, 5) }, () => [randomName(rng, ctx).slice(0, 200), randomValue(rng, ctx, depth + 1)]));
};
/** `depth` levels of arrays or objects around a leaf, as text (JSON.stringify would recurse). */
const nested = (rng: Rng, depth: number) => (rng.chance(0.5) ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

const invalidJson: Variant[] = [
  (rng) => ({ body: json(rpc('tools/list')).slice(0, rng.int(0, 30)) }),
  (rng) => ({ body: Buffer.from(Array.from({ length: rng.int(1, 512) }, () => rng.int(0, 255))) }),
  (rng) => ({ body: `${json(rpc('tools/list'))}${rng.string(rng.int(1, 20), NASTY)}` }),
  (rng) => ({ body: rng.pick(['', ' ', 'null', 'true', '1', '"x"', 'NaN', 'undefined', '{', '[', '{"jsonrpc":"2.0",}', "{'jsonrpc':'2.0'}", '\ufeff{}', '{"a":1}{"b":2}']) }),
  (rng) => ({ body: `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":"${rng.string(rng.int(1, 50), '\\"\u0000\n')}` }),
];
const wrongVersion: Variant[] = [
  (rng) => ({ body: json({ ...rpc('tools/list'), jsonrpc: rng.pick(['1.0', '2', '3.0', 2, 2.0, null, '', '2.0 ', ['2.0'], { v: '2.0' }]) }) }),
  () => ({ body: json({ id: 1, method: 'tools/list' }) }),
  (rng) => ({ body: json({ ...rpc('tools/list'), id: rng.pick([{ a: 1 }, [1], 1.5, true, -0, 2 ** 64, rng.string(300)]) }) }),
  (rng) => ({ body: json({ ...rpc('tools/list'), method: rng.pick([1, null, true, [], {}]) }) }),
  (rng) => ({ body: json({ ...rpc('tools/call'), params: rng.pick(['x', 1, true, [1, 2], null]) }) }),
  () => ({ body: json({ jsonrpc: '2.0', id: 1, result: {} }) }),
  () => ({ body: json({ jsonrpc: '2.0', id: 1, error: { code: 1, message: 'from the client' } }) }),
];
const unknownMethod: Variant[] = [
  (rng, ctx) => ({ body: json(rpc(randomName(rng, ctx))) }),
  (rng, ctx) => ({ body: json(rpc(`${rng.pick(METHODS)}${rng.pick(['/x', '?', '#', ' ', '\u0000', '/../tools/call'])}`, randomValue(rng, ctx))) }),
  (rng) => ({ body: json(rpc(`rpc.${rng.string(6)}`)) }),
  (rng, ctx) => ({ body: json({ jsonrpc: '2.0', method: `notifications/${randomName(rng, ctx).slice(0, 100)}` }) }),
];
const hugeBody: Variant[] = [
  // Over the limit, declared: a 413 before the body is read.
  (rng, ctx) => ({ body: json(rpc('tools/list', { pad: 'x'.repeat(ctx.maxBodyBytes + rng.int(1, 64 * 1024)) })) }),
  (rng) => ({ body: json(rpc('tools/list', { pad: rng.string(64) .repeat(rng.int(1000, 4000)) })) }),
  (rng) => ({ body: json(rpc('tools/list', Array.from({ length: rng.int(1000, 20_000) }, (_, i) => i))) }),
  (rng) => ({ body: json(rpc('tools/call', { name: 'get_review', arguments: { id: 'x'.repeat(rng.int(129, 200_000)) } })) }),
  (rng) => ({ body: json(rpc('tools/call', { name: 'review_diff', arguments: { diff: `${DIFF}${'+x\n'.repeat(rng.int(1000, 20_000))}` } })) }),
  (rng) => ({ body: json(rpc('tools/call', { name: 'review_diff', arguments: Object.fromEntries(Array.from({ length: rng.int(500, 5000) }, (_, i) => [`k${i}`, i])) })) }),
];
const deepBody: Variant[] = [
  (rng) => ({ body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"review_diff","arguments":{"diff":${JSON.stringify(DIFF)},"deep":${nested(rng, rng.int(10, 20_000))}}}}` }),
  (rng) => ({ body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"${rng.pick(TOOLS)}","arguments":${nested(rng, rng.int(10, 20_000)).replace(/^\[/, '{"x":[').replace(/\]$/, ']}')}}}` }),
  (rng) => ({ body: `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":${nested(rng, rng.int(10, 20_000)).replace(/^\[/, '{"x":[').replace(/\]$/, ']}')}}` }),
  (rng) => ({ body: `{"jsonrpc":"2.0","id":${nested(rng, rng.int(10, 5000))},"method":"tools/list"}` }),
  (rng) => ({ body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_review","arguments":{"id":"x"},"_meta":{"m":${nested(rng, rng.int(10, 20_000))}}}}` }),
  (rng) => ({ body: nested(rng, rng.int(1000, 100_000)) }),
];
const contentType: Variant[] = [
  (rng) => ({ headers: { 'content-type': rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/xml', 'json', '*/*', '', ';;;', 'application/json; charset']) } }),
  (rng) => ({ headers: { 'content-type': `application/json; charset=${rng.pick(['latin1', 'utf-16', 'utf-32', 'ebcdic', 'bogus', '"utf-8"', 'UTF-8', 'ascii'])}` } }),
  () => ({ headers: { 'content-type': 'application/json', 'x-drop-content-type': '1' } }),
  (rng) => ({ headers: { 'content-type': `application/json${rng.string(rng.int(1, 200), HEADER_SAFE)}` } }),
];
const accept: Variant[] = [
  (rng) => ({ headers: { accept: rng.pick(['text/html', 'application/json', 'text/event-stream', '*/*', '', 'application/xml', 'application/json;q=0, text/event-stream;q=0', rng.string(300, HEADER_SAFE)]) } }),
  (rng) => ({ headers: { accept: rng.pick(['application/json', 'text/event-stream']) }, body: json(rpc('tools/call', { name: 'get_review', arguments: { id: rng.string(10) } })) }),
];
const contentEncoding: Variant[] = [
  (rng) => ({ headers: { 'content-encoding': rng.pick(['gzip', 'deflate', 'br', 'x-gzip', 'identity, gzip', 'gzip, gzip']) } }),
  (rng) => ({ headers: { 'content-encoding': rng.pick(['zstd', 'compress', 'bogus', rng.string(20, HEADER_SAFE)]) } }),
  // Really gzipped, but the body inside is junk or truncated.
  (rng) => ({ headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.from(rng.string(rng.int(1, 200), NASTY))).subarray(0, rng.chance(0.5) ? undefined : rng.int(1, 15)) }),
  () => ({ headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.from(json(rpc('tools/list')))) }),
];
/** A batch of requests (ids may repeat): answered with one response each, or refused as a whole. */
const batchOf = (requests: unknown[]) => ({ body: json(requests), batchSize: requests.length });
const batch: Variant[] = [
  (rng) => batchOf(Array.from({ length: rng.int(2, 5) }, () => rpc('tools/list', undefined, rng.pick([1, 'same'])))),
  () => ({ body: '[]' }),
  (rng, ctx) => ({ body: json([rpc('tools/list', undefined, 1), randomValue(rng, ctx), rpc(randomName(rng, ctx), undefined, 2)]) }),
  (rng) => ({ body: json(Array.from({ length: rng.int(1, 5) }, () => ({ jsonrpc: '2.0', method: 'notifications/initialized' }))) }),
  (rng) => batchOf(Array.from({ length: rng.int(50, 500) }, (_, i) => rpc('ping', undefined, rng.chance(0.3) ? 7 : i))),
  (rng) => batchOf([rpc('tools/call', { name: 'get_review', arguments: { id: rng.string(8) } }, 1), rpc('tools/call', { name: 'get_review', arguments: { id: rng.string(8) } }, 1)]),
  (rng) => ({ body: json([[rpc('tools/list')], rng.pick([[], {}, 1])]) }),
];
const session: Variant[] = [
  (rng) => ({ headers: { 'mcp-session-id': rng.pick([rng.string(36), rng.string(rng.int(1, 4000), HEADER_SAFE), '', '../../etc/passwd']) } }),
  (rng) => ({ headers: { 'mcp-protocol-version': rng.pick(['1999-01-01', 'latest', '', rng.string(rng.int(1, 500), HEADER_SAFE), '2025-06-18']) } }),
  (rng) => ({ method: rng.pick(['GET', 'DELETE']), headers: { 'mcp-session-id': rng.string(36) }, body: undefined }),
  (rng) => ({ body: json(rpc('initialize', { protocolVersion: rng.pick(['2025-06-18', 'bogus', 1, null]), capabilities: randomValue(rng, { apiKey: '', payloads: ['x'], maxBodyBytes: 0 }), clientInfo: { name: rng.string(10), version: '1' } })) }),
];
const oversizedHeaders: Variant[] = [
  (rng) => ({ headers: { 'x-probe': rng.string(rng.int(1000, 12_000), HEADER_SAFE) } }),
  (rng) => ({ headers: { 'x-probe': rng.string(rng.int(17_000, 64_000)) } }),
  (rng) => ({ headers: Object.fromEntries(Array.from({ length: rng.int(100, 400) }, (_, i) => [`x-h${i}`, rng.string(20)])) }),
  (rng) => ({ headers: { 'x-request-id': rng.string(rng.int(129, 8000), HEADER_SAFE), traceparent: rng.string(rng.int(1, 2000), HEADER_SAFE), baggage: rng.string(rng.int(1, 8000), HEADER_SAFE) } }),
  (rng) => ({ headers: { tracestate: Array.from({ length: rng.int(1, 100) }, () => `${rng.string(rng.int(1, 300))}=${rng.string(rng.int(1, 300), HEADER_SAFE)}`).join(',') } }),
];
const auth: Variant[] = [
  () => ({ headers: { authorization: '' } }),
  (rng) => ({ headers: { authorization: `${rng.pick(['Basic', 'Token', 'Digest', 'bearer', 'BEARER', 'Bearer  ', 'Bearer\t'])} ${rng.string(rng.int(0, 80))}` } }),
  (rng) => ({ headers: { authorization: `Bearer lk_${rng.string(16, '0123456789abcdef')}_${rng.string(rng.int(0, 60))}` } }),
  (rng) => ({ headers: { authorization: `Bearer ${rng.string(rng.int(1, 8000), HEADER_SAFE)}` } }),
  (rng, ctx) => ({ headers: { authorization: `Bearer ${ctx.apiKey.slice(0, -1)}${rng.pick(['A', 'z', '0'])}` } }),
  (rng, ctx) => ({ headers: { authorization: `Bearer ${rng.pick(ctx.payloads).replace(/[\r\n]/g, '')}` } }),
  (_rng, ctx) => ({ headers: { authorization: `Bearer ${ctx.apiKey}, Bearer ${ctx.apiKey}` } }),
];
const randomTool: Variant[] = [
  (rng, ctx) => ({ body: json(rpc('tools/call', { name: randomName(rng, ctx), arguments: randomValue(rng, ctx) })) }),
  (rng, ctx) => ({ body: json(rpc('tools/call', { name: rng.pick(TOOLS), arguments: randomValue(rng, ctx) })) }),
  (rng, ctx) => ({ body: json(rpc('tools/call', { name: rng.pick(TOOLS), arguments: { [randomName(rng, ctx).slice(0, 500)]: randomValue(rng, ctx) } })) }),
  (rng) => ({ body: json(rpc('tools/call', { name: 'bot_digest', arguments: { sinceMinutes: rng.pick([-1, 0, 1e9, 'x', null, Number.MAX_VALUE, 0.0001]) } })) }),
  (rng) => ({ body: json(rpc('tools/call', { name: rng.pick(['review_diff', 'submit_review_job']), arguments: { diff: rng.pick(['', 1, null, [], rng.string(rng.int(1, 500), NASTY)]) } })) }),
  (rng, ctx) => ({ body: json(rpc('tools/call', { name: rng.pick(TOOLS), arguments: {}, _meta: { progressToken: randomValue(rng, ctx), traceparent: rng.string(55), tracestate: rng.string(rng.int(1, 600), HEADER_SAFE) } })) }),
];
const httpMethodAndPath: Variant[] = [
  (rng) => ({ method: rng.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']), body: undefined }),
  (rng) => ({ service: rng.pick(['mcp-server', 'reviewer', 'worker'] as const), method: rng.pick(['GET', 'POST']), path: `/${rng.pick(['', 'mcp/', 'health/', 'metrics/', '..%2f', '%E0%A4%A', '%00', '%ff', 'a'.repeat(rng.int(1, 4000))])}${encodeLoosely(rng.string(rng.int(0, 30), NASTY))}`, body: undefined }),
  (rng) => ({ path: `/mcp?${rng.string(rng.int(1, 2000), HEADER_SAFE).replace(/[#\s]/g, '')}` }),
  (rng) => ({ service: rng.pick(['mcp-server', 'reviewer', 'worker'] as const), method: 'GET', path: rng.pick(['/health', '/health/ready', '/metrics']) + `?${rng.string(rng.int(1, 300)).replace(/[#\s]/g, '')}=%zz`, body: undefined }),
];
const reviewerDirect: Variant[] = [
  (rng) => ({ body: rng.pick(['', '{', 'null', '[]', '{"diff":1}', '{"diff":""}', json({ diff: rng.string(rng.int(1, 2000), NASTY) })]) }),
  (rng) => ({ headers: { 'content-encoding': rng.pick(['gzip', 'deflate', 'br', 'zstd']) }, body: json({ diff: DIFF }) }),
  (rng) => ({ headers: { 'content-type': rng.pick(['text/plain', 'application/json; charset=utf-32', 'application/json; charset=bogus']) }, body: json({ diff: DIFF }) }),
  (rng) => ({ body: `{"diff":${JSON.stringify(DIFF)},"x":${nested(rng, rng.int(10, 20_000))}}` }),
  (rng) => ({ body: json({ diff: `${DIFF}${'+y\n'.repeat(rng.int(50_000, 400_000))}` }) }),
];

/** Every fault class and its variants; the reviewer's own endpoint has a class too (Content-Encoding, etc.). */
export const FUZZ_CLASSES: Record<string, { service?: FuzzService; path?: string; variants: Variant[] }> = {
  'invalid-json': { variants: invalidJson },
  'wrong-jsonrpc-shape': { variants: wrongVersion },
  'unknown-method': { variants: unknownMethod },
  'huge-body': { variants: hugeBody },
  'deep-body': { variants: deepBody },
  'content-type': { variants: contentType },
  accept: { variants: accept },
  'content-encoding': { variants: contentEncoding },
  batch: { variants: batch },
  'session-and-version': { variants: session },
  'oversized-headers': { variants: oversizedHeaders },
  'wrong-auth': { variants: auth },
  'random-tool-call': { variants: randomTool },
  'http-method-and-path': { variants: httpMethodAndPath },
  'reviewer-review': { service: 'reviewer', path: '/review', variants: reviewerDirect },
};
const CLASS_NAMES = Object.keys(FUZZ_CLASSES);

/** The index-th request: classes in turn (so each gets its share), a variant and its details from rng. */
export function fuzzRequest(index: number, rng: Rng, ctx: FuzzContext): FuzzRequest {
  const kind = CLASS_NAMES[index % CLASS_NAMES.length] as string;
  const fuzzClass = FUZZ_CLASSES[kind] as (typeof FUZZ_CLASSES)[string];
  const variantIndex = rng.int(0, fuzzClass.variants.length - 1);
  const made = (fuzzClass.variants[variantIndex] as Variant)(rng, ctx);
  const service = made.service ?? fuzzClass.service ?? 'mcp-server';
  const baseHeaders: Record<string, string> = service === 'mcp-server' ? MCP_HEADERS(ctx) : { 'content-type': 'application/json' };
  const headers = { ...baseHeaders, ...made.headers };
  if (headers['x-drop-content-type']) {
    delete headers['content-type'];
    delete headers['x-drop-content-type'];
  }
  const method = made.method ?? 'POST';
  const body = 'body' in made ? made.body : json(rpc('tools/list'));
  return {
    kind,
    variant: `${kind}#${variantIndex}`,
    service,
    method,
    path: made.path ?? fuzzClass.path ?? '/mcp',
    headers,
    body: method === 'GET' ? undefined : body,
    ...(made.batchSize ? { batchSize: made.batchSize } : {}),
  };
}
