import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonLinesTail, logRecordsOf, searchableText, spansOf } from './otlp-lines.ts';

const span = (spanId: string) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'reviewer' } }] },
      scopeSpans: [{ scope: { name: 's' }, spans: [{ traceId: 'a'.repeat(32), spanId, name: 'GET /', kind: 2, startTimeUnixNano: '1795878169114000000' }] }],
    },
  ],
});

describe('JsonLinesTail', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads whole lines only, picks up appended ones, and starts over when the file shrinks', () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-lines-'));
    const file = join(dir, 'traces.jsonl');
    const tail = new JsonLinesTail(file);
    expect(tail.read()).toEqual([]);
    const first = JSON.stringify(span('1111111111111111'));
    writeFileSync(file, `${first}\n${first.slice(0, 20)}`);
    expect(spansOf(tail.read()).map((s) => s.spanId)).toEqual(['1111111111111111']);
    appendFileSync(file, `${first.slice(20)}\n`);
    expect(spansOf(tail.read()).map((s) => s.spanId)).toEqual(['1111111111111111', '1111111111111111']);
    writeFileSync(file, `${JSON.stringify(span('2222222222222222'))}\n`);
    const spans = spansOf(tail.read());
    expect(spans.map((s) => s.spanId)).toEqual(['2222222222222222']);
    expect(spans[0]).toMatchObject({ resource: { 'service.name': 'reviewer' }, startMs: 1795878169114 });
  });
});

describe('logRecordsOf', () => {
  it('flattens records with attributes and falls back to the observed time', () => {
    const [record] = logRecordsOf([
      {
        resourceLogs: [
          {
            resource: { attributes: [] },
            scopeLogs: [{ scope: { name: '@lookout/audit' }, logRecords: [{ observedTimeUnixNano: '2000000', body: { stringValue: 'hi' }, attributes: [{ key: 'user_id', value: { stringValue: 'u1' } }] }] }],
          },
        ],
      },
    ]);
    expect(record).toMatchObject({ body: 'hi', scope: '@lookout/audit', attributes: { user_id: 'u1' }, timeMs: 2 });
  });
});

describe('searchableText', () => {
  it('decodes JSON escapes, so a multi-line or escaped secret is still found', () => {
    const secret = '-----BEGIN KEY-----\nabc&def\n-----END KEY-----';
    const line = JSON.stringify({ body: secret }).replace('&', '\\u0026');
    expect(line).not.toContain(secret);
    expect(searchableText(`noise ${line}\n`)).toContain(secret);
  });
});
