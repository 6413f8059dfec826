// The probe suite's own parts, without the platform: reproducible generation, the answer rules, and
// the leak search (pieces of a secret, the field a hit sits in, one line per leak channel).
import { describe, expect, it } from 'vitest';
import { SECRET_CORPUS } from '@lookout/logger/testing';
import { FUZZ_CLASSES, fuzzRequest, type FuzzContext } from './fuzz-classes.test-support.ts';
import { judgeAnswer } from './fuzz-send.test-support.ts';
import { fuzzSeed, rngFor } from './prng.test-support.ts';
import { fieldAt, formatHits, needlesFor, needlesOf, protobufFieldAt, searchSinks } from './secret-sinks.test-support.ts';

const context: FuzzContext = { apiKey: 'lk_0000000000000000_key', payloads: ['p1', 'p2'], maxBodyBytes: 1024 };

describe('fuzz generation', () => {
  it('makes the same request from the same seed and index, whatever the order', () => {
    const forward = [0, 1, 2, 3].map((i) => fuzzRequest(i, rngFor(42, i), context));
    const backward = [3, 2, 1, 0].map((i) => fuzzRequest(i, rngFor(42, i), context)).reverse();
    expect(forward).toEqual(backward);
    expect(fuzzRequest(0, rngFor(43, 0), context)).not.toEqual(forward[0]);
  });

  it('gives every class its turn', () => {
    const kinds = Object.keys(FUZZ_CLASSES);
    const made = kinds.map((_, i) => fuzzRequest(i, rngFor(1, i), context).kind);
    expect(made).toEqual(kinds);
  });

  it('takes the seed from LOOKOUT_FUZZ_SEED and refuses a bad one', () => {
    expect(fuzzSeed({ LOOKOUT_FUZZ_SEED: '123' })).toBe(123);
    expect(() => fuzzSeed({ LOOKOUT_FUZZ_SEED: 'x' })).toThrow(/LOOKOUT_FUZZ_SEED/);
    expect(Number.isInteger(fuzzSeed({}))).toBe(true);
  });
});

describe('judgeAnswer', () => {
  it('accepts 2xx and 4xx with a JSON error message', () => {
    expect(judgeAnswer(200, '{}')).toBeUndefined();
    expect(judgeAnswer(202, '')).toBeUndefined();
    expect(judgeAnswer(400, '{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}')).toBeUndefined();
    expect(judgeAnswer(404, '{"error":{"code":"not_found","message":"no route"}}')).toBeUndefined();
  });

  it('names what is wrong: no answer, 5xx, an empty, non-JSON or silent 4xx, a batch answered short', () => {
    expect(judgeAnswer(0, 'ECONNRESET')).toMatch(/no answer/);
    expect(judgeAnswer(500, '{"error":{"message":"x"}}')).toBe('HTTP 500');
    expect(judgeAnswer(431, '')).toMatch(/empty body/);
    expect(judgeAnswer(400, 'Bad Request')).toMatch(/not JSON/);
    expect(judgeAnswer(400, '{"error":{}}')).toMatch(/explains nothing/);
    expect(judgeAnswer(200, '{"jsonrpc":"2.0","id":1,"result":{}}', 3)).toMatch(/single response/);
    expect(judgeAnswer(200, '[{"id":1}]', 3)).toMatch(/fewer responses than requests/);
    expect(judgeAnswer(200, '[{"id":1},{"id":1},{"id":1}]', 3)).toBeUndefined();
  });
});

describe('the leak search', () => {
  const github = SECRET_CORPUS.find((s) => s.name === 'github-pat-classic');

  it('looks for the raw secret and the pieces that identify it', () => {
    expect(github).toBeDefined();
    const needles = needlesOf(github!);
    expect(needles.map((n) => n.kind)).toEqual(expect.arrayContaining(['raw', 'after-prefix', 'middle', 'tail']));
    expect(needles.find((n) => n.kind === 'after-prefix')?.value).toBe(github!.secret.slice('ghp_'.length));
    for (const n of needles) expect(n.value.length, n.kind).toBeGreaterThanOrEqual(10);
  });

  it('catches a partial mask that kept the part after the prefix', () => {
    const masked = `token ghp_${github!.secret.slice(4)}`.replace('ghp_', '[REDACTED]_');
    const hits = searchSinks([{ group: 'logs', name: 'file', text: masked }], needlesOf(github!));
    expect(hits.map((h) => h.secret)).toEqual(['github-pat-classic']);
  });

  it('names the field a hit sits in: OTLP attribute keys, JSON keys, escaped JSON inside JSON', () => {
    const otlp = '{"key":"user_agent.original","value":{"stringValue":"probe (SECRET)"}}';
    expect(fieldAt(otlp, otlp.indexOf('SECRET'))).toBe('user_agent.original');
    const pino = '{"level":30,"request_id":"SECRET"}';
    expect(fieldAt(pino, pino.indexOf('SECRET'))).toBe('request_id');
    const nested = '{"body":{"stringValue":"{\\"actor\\":{\\"id\\":\\"SECRET\\"}}"}}';
    expect(fieldAt(nested, nested.indexOf('SECRET'))).toBe('actor.id');
    const body = '{"body":{"stringValue":"refused SECRET"}}';
    expect(fieldAt(body, body.indexOf('SECRET'))).toBe('body');
    expect(fieldAt('plain SECRET', 6)).toBe('text');
  });

  it('drops pieces inside a key id, which audit events name on purpose, keeping the raw value', () => {
    const corpus = [
      { name: 'lookout', text: 'x', secret: 'lk_0123456789abcdef_c2VjcmV0LXZhbHVl' },
      { name: 'other', text: 'y', secret: 'SK00000123456789abcdef' },
    ];
    const values = needlesOf(corpus[1]!, corpus).map((n) => n.value);
    expect(values).toContain('SK00000123456789abcdef');
    expect(values).not.toContain('0123456789abcdef'.slice(-12));
  });

  it('names the field of a hit in protobuf bytes by the string before it', () => {
    const attribute = '\u000a\u0013user_agent.original\u0012&\u000a$probe SECRET';
    expect(protobufFieldAt(attribute, attribute.indexOf('SECRET'))).toBe('user_agent.original');
    const name = '\u0022\u0008abcdefgh*.tools/call SECRET';
    expect(protobufFieldAt(name, name.indexOf('SECRET'))).toBe('span name');
    const body = '\u001a\u0012\u0001{"request_id":"SECRET';
    expect(protobufFieldAt(body, body.indexOf('SECRET'))).toBe('request_id');
  });

  it('reports each field a secret lands in, and decoded copies only when nothing else names a field', () => {
    const [a] = SECRET_CORPUS as [(typeof SECRET_CORPUS)[number]];
    const text = `{"request_id":"${a.secret}","msg":"x"}\n{"user_agent":"${a.secret}"}\n${a.secret}`;
    const fields = searchSinks([{ group: 'logs', name: 'file', text }], needlesFor([a])).map((h) => h.field);
    expect(fields.sort()).toEqual(['request_id', 'user_agent']);
    expect(searchSinks([{ group: 'logs', name: 'file', text: `plain ${a.secret}` }], needlesFor([a])).map((h) => h.field)).toEqual(['text']);
  });

  it('reports one line per leak channel, answers per input path', () => {
    const needles = needlesFor(SECRET_CORPUS.slice(0, 2));
    const [a, b] = SECRET_CORPUS as [(typeof SECRET_CORPUS)[number], (typeof SECRET_CORPUS)[number]];
    const lines = formatHits(
      searchSinks(
        [
          { group: 'answers', name: `query string (${a.name})`, text: `{"message":"${a.secret}"}` },
          { group: 'answers', name: `query string (${b.name})`, text: `{"message":"${b.secret}"}` },
          { group: 'collector logs', name: 'logs.jsonl', text: `{"request_id":"${a.secret}"}` },
        ],
        needles,
      ),
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^answers: query string, field "message": 2 secrets/);
    expect(lines[1]).toMatch(/^collector logs, field "request_id": 1 secrets/);
  });
});
