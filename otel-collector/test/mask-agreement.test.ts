// The collector (RE2, statements generated from packages/logger/src/secret-patterns.ts) masks every
// text exactly as the JS masker (maskString, compiled from the same source) does: the hand-written
// corpus, where every rule has a sample, and generated classes of secrets and look-alikes.
import { maskString } from '@lookout/logger';
import { HIGH_ENTROPY_RULE, SECRET_RULES } from '@lookout/logger/secret-patterns';
import { findLeaks, generatedSafeTexts, generatedSecrets, SAFE_CORPUS, SECRET_CORPUS } from '@lookout/logger/testing';
import { collectorMissing, startCollector, waitUntil, type TestCollector } from '@lookout/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logsRequest, postOtlp, tracesRequest, type KeyValue } from './otlp.ts';

const skip = collectorMissing();

const TEXTS = [
  ...SECRET_CORPUS.map((sample) => sample.text),
  ...SAFE_CORPUS.map((sample) => sample.text),
  ...generatedSecrets(200).map((sample) => sample.text),
  ...generatedSafeTexts(220),
  SECRET_CORPUS.map((sample) => sample.text).join(' | '),
];
const id = (index: number) => `sample-${index}`;

interface Exported {
  resourceLogs?: { scopeLogs?: { logRecords?: { body?: { stringValue?: string }; attributes?: KeyValue[] }[] }[] }[];
  resourceSpans?: { scopeSpans?: { spans?: { name: string; traceState?: string; attributes?: KeyValue[] }[] }[] }[];
}
const stringAttribute = (attributes: KeyValue[] | undefined, key: string) => {
  const value = attributes?.find((a) => a.key === key)?.value;
  return value && 'stringValue' in value ? value.stringValue : undefined;
};

describe.skipIf(skip)('the collector masks as maskString does (one source, two engines)', () => {
  let collector: TestCollector;
  // sample id -> what the collector wrote, per place
  const body = new Map<string, string>();
  const attribute = new Map<string, string>();
  const spanName = new Map<string, string>();
  const traceState = new Map<string, string>();

  beforeAll(async () => {
    collector = await startCollector({ config: 'test' });
    await postOtlp(collector.otlpHttpUrl, 'logs', logsRequest('reviewer', TEXTS.map((text, i) => ({ body: text, attributes: { 'sample.id': id(i), text } }))));
    await postOtlp(collector.otlpHttpUrl, 'traces', tracesRequest('reviewer', TEXTS.map((text, i) => ({ name: text, attributes: { 'sample.id': id(i) }, traceState: `vendor=${text}` }))));
    await waitUntil('logs and traces written', () => collector.read('logs').length > 0 && collector.read('traces').length > 0);
    for (const line of collector.read('logs') as Exported[]) {
      for (const record of (line.resourceLogs ?? []).flatMap((r) => (r.scopeLogs ?? []).flatMap((s) => s.logRecords ?? []))) {
        const sample = stringAttribute(record.attributes, 'sample.id') as string;
        body.set(sample, record.body?.stringValue ?? '');
        attribute.set(sample, stringAttribute(record.attributes, 'text') ?? '');
      }
    }
    for (const line of collector.read('traces') as Exported[]) {
      for (const span of (line.resourceSpans ?? []).flatMap((r) => (r.scopeSpans ?? []).flatMap((s) => s.spans ?? []))) {
        spanName.set(stringAttribute(span.attributes, 'sample.id') as string, span.name);
        traceState.set(stringAttribute(span.attributes, 'sample.id') as string, span.traceState ?? '');
      }
    }
  });
  afterAll(() => collector?.stop());

  it('gives the same output for every text, in log bodies, log attributes and span names', () => {
    expect(body.size).toBe(TEXTS.length);
    const differing = TEXTS.flatMap((text, i) => {
      const expected = maskString(text);
      return [['body', body], ['attribute', attribute], ['span name', spanName]]
        .filter(([, got]) => (got as Map<string, string>).get(id(i)) !== expected)
        .map(([place, got]) => ({ place, text, js: expected, collector: (got as Map<string, string>).get(id(i)) }));
    });
    expect(differing).toEqual([]);
  });

  it('masks span trace_state too (an inbound tracestate is client input)', () => {
    const differing = TEXTS.filter((text, i) => traceState.get(id(i)) !== maskString(`vendor=${text}`));
    expect(differing).toEqual([]);
    expect(findLeaks([...traceState.values()].join('\n'))).toEqual([]);
  });

  it('masks a corpus sample of every rule, and one of the high-entropy rule, in the collector', () => {
    const changedBy = (source: string, ignoreCase: boolean | undefined, text: string) => text.replace(new RegExp(source, ignoreCase ? 'gi' : 'g'), '') !== text;
    const unproven = SECRET_RULES.filter((rule) => {
      const samples = SECRET_CORPUS.map((sample, i) => ({ sample, i })).filter(({ sample }) => changedBy(rule.source, rule.ignoreCase, sample.text));
      return !samples.some(({ sample, i }) => body.get(id(i)) !== sample.text && !body.get(id(i))?.includes(sample.secret));
    }).map((rule) => rule.name);
    expect(unproven).toEqual([]);
    const byEntropyOnly = SECRET_CORPUS.map((sample, i) => ({ sample, i })).filter(({ sample }) => !SECRET_RULES.some((rule) => changedBy(rule.source, rule.ignoreCase, sample.text)));
    expect(byEntropyOnly.length, HIGH_ENTROPY_RULE.name).toBeGreaterThan(0);
    for (const { sample, i } of byEntropyOnly) expect(body.get(id(i)), sample.name).not.toContain(sample.secret);
  });

  it('leaves the look-alikes untouched (ids, digests, base64 of text, identifiers, prose)', () => {
    const first = SECRET_CORPUS.length;
    const mangled = SAFE_CORPUS.filter((sample, i) => body.get(id(first + i)) !== sample.text).map((sample) => sample.name);
    expect(mangled).toEqual([]);
  });
});
