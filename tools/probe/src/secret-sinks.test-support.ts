// Every place a secret sent to the platform could end up, read back as text, and the search for the
// secrets in it: the raw value and distinctive pieces of it (the part after a vendor prefix, the
// middle, the tail, its URL encoding, each line of a PEM block), so a partial mask counts as a leak.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SECRET_CORPUS, type SecretSample } from '@lookout/logger/testing';
import { waitUntil } from '@lookout/testkit';
import { searchableText } from '@lookout/testkit';
import type { InputReport } from './secret-inputs.test-support.ts';
import type { ProbeStack } from './probe-stack.test-support.ts';

export interface Sink {
  /** What kind of sink: 'collector traces', 'redis', 'answers'... */
  group: string;
  name: string;
  /** Searchable text: as written plus every JSON string in it decoded (see searchableText). */
  text: string;
  /** Protobuf bytes as text: fields are found by the string before the hit, not by JSON keys. */
  binary?: boolean;
}

export interface Needle {
  secret: string;
  /** Which piece: raw, after-prefix, middle, tail, url-encoded, pem-line. */
  kind: string;
  value: string;
}

export interface Hit {
  /** The sink's group and name. */
  group: string;
  sink: string;
  secret: string;
  kind: string;
  /** The JSON field (or OTLP attribute key) the hit sits in, as far as the text around it tells. */
  field: string;
  /** Around the hit, the needle itself replaced by its kind. */
  context: string;
}

const MIN_PIECE = 10;

/**
 * Parts of secrets that records may hold on purpose: the key id of a Lookout API key (lk_<keyId>_…)
 * names the key in audit events. The fake samples reuse fillers such as 0123456789abcdef, so a piece of
 * another sample can equal a key id.
 */
const publicPartsOf = (corpus: readonly SecretSample[]) => corpus.flatMap((s) => /\blk_([0-9a-f]{16})_/.exec(s.secret)?.[1] ?? []);

/** The raw secret and the pieces of it that identify it on their own (not inside a public part). */
export function needlesOf(sample: SecretSample, corpus: readonly SecretSample[] = SECRET_CORPUS): Needle[] {
  const publicParts = publicPartsOf(corpus);
  const { secret } = sample;
  const pieces: [string, string][] = [['raw', secret]];
  const prefix = /^.{0,13}[_.-]/s.exec(secret.slice(0, 14));
  if (prefix) pieces.push(['after-prefix', secret.slice(prefix[0].length)]);
  if (secret.length >= 24) pieces.push(['middle', secret.slice(Math.floor(secret.length / 2) - 8, Math.floor(secret.length / 2) + 8)]);
  if (secret.length >= 20) pieces.push(['tail', secret.slice(-12)]);
  if (encodeURIComponent(secret) !== secret) pieces.push(['url-encoded', encodeURIComponent(secret)]);
  for (const line of secret.split('\n').slice(1, -1)) pieces.push(['pem-line', line]);
  const seen = new Set<string>();
  return pieces
    .filter(([kind, value]) => kind === 'raw' || (value.length >= MIN_PIECE && !publicParts.some((part) => part.includes(value))))
    .filter(([, value]) => !seen.has(value) && seen.add(value))
    .map(([kind, value]) => ({ secret: sample.name, kind, value }));
}

const KEY_LIKE = /^[a-z][a-z0-9_.]*[a-z0-9]$/;
/** Control bytes (and undecodable ones): what separates the strings in protobuf read as text. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point here
const NON_TEXT = /[\u0000-\u001f\ufffd]+/g;

/**
 * The field of a hit in protobuf bytes, best effort: JSON inside the string (an audit event as a log
 * body), a span name (field 5, tag '*', after the 8-byte parent span id), or the attribute key stored just before the value.
 */
export function protobufFieldAt(text: string, at: number): string {
  const strings = text.slice(Math.max(0, at - 400), at).split(NON_TEXT);
  const own = strings.at(-1) ?? '';
  if (/"[^"]+":/.test(own)) return fieldAt(own, own.length);
  // After parent_span_id's 8 bytes (or fewer, cut at a control byte) comes tag '*' and the name.
  if (/^[^*]{0,8}\*/.test(own)) return 'span name';
  const key = strings.slice(0, -1).reverse().find((s) => s.length > 2) ?? '';
  // A key of 32 characters or more has a printable length byte in front of it.
  return [key, key.slice(1)].find((k) => KEY_LIKE.test(k)) ?? 'a string';
}

/** The field a hit at `at` sits in: an OTLP attribute key, else the nearest JSON key before it. */
export function fieldAt(text: string, at: number): string {
  const before = text.slice(Math.max(0, at - 400), at).replace(/\\/g, '');
  const attribute = /"key":"([^"]+)","value":\{"\w+":"?[^"]*$/.exec(before);
  if (attribute) return attribute[1] as string;
  // {"body":{"stringValue":"…  is the body; {"actor":{"id":"…  is actor.id.
  const nested = /"([^"]+)":\{"([^"]+)":"[^"]*$/.exec(before);
  if (nested) return nested[2]?.endsWith('Value') ? (nested[1] as string) : `${nested[1]}.${nested[2]}`;
  const key = /"([^"]+)":"?[^"]*$/.exec(before);
  return key ? (key[1] as string) : 'text';
}

/** Every needle of every sample of a corpus. */
export const needlesFor = (corpus: readonly SecretSample[]): Needle[] => corpus.flatMap((sample) => needlesOf(sample, corpus));

/** Occurrences of one needle looked at per sink: enough to see every field it lands in. */
const MAX_OCCURRENCES = 500;

/** Every (sink, secret, field) where a needle occurs: a secret leaking through two fields is reported twice. */
export function searchSinks(sinks: readonly Sink[], needles: readonly Needle[]): Hit[] {
  const hits: Hit[] = [];
  for (const sink of sinks) {
    const seen = new Set<string>();
    for (const needle of needles) {
      for (let at = sink.text.indexOf(needle.value), n = 0; at >= 0 && n < MAX_OCCURRENCES; at = sink.text.indexOf(needle.value, at + 1), n++) {
        const field = sink.binary ? protobufFieldAt(sink.text, at) : fieldAt(sink.text, at);
        if (seen.has(`${needle.secret}\n${field}`)) continue;
        seen.add(`${needle.secret}\n${field}`);
        const context = sink.text.slice(Math.max(0, at - 60), at + needle.value.length + 60).replace(needle.value, `<${needle.kind}>`).replace(/\s+/g, ' ').replace(NON_TEXT, '·');
        hits.push({ group: sink.group, sink: sink.name, secret: needle.secret, kind: needle.kind, field, context });
      }
    }
  }
  // searchableText appends every JSON string decoded, without its key: a hit there is plain 'text',
  // worth reporting only when the secret showed nowhere with a field.
  const named = new Set(hits.filter((h) => h.field !== 'text').map((h) => `${h.group}\n${h.sink}\n${h.secret}`));
  return hits.filter((h) => h.field !== 'text' || !named.has(`${h.group}\n${h.sink}\n${h.secret}`));
}

/**
 * One line per leak channel (sink and field; for answers, the input path and field): how many secrets,
 * which, and one example. Answers are named "<input path> (<secret>)"; the secret part is dropped.
 */
export function formatHits(hits: readonly Hit[]): string[] {
  const channels = new Map<string, Hit[]>();
  for (const hit of hits) {
    const perInput = ['answers', 'answer headers', 'cli output'].includes(hit.group);
    const key = `${perInput ? `${hit.group}: ${hit.sink.replace(/ \([^()]*\)$/, '')}` : hit.group}, field "${hit.field}"`;
    channels.set(key, [...(channels.get(key) ?? []), hit]);
  }
  return [...channels].map(([key, list]) => {
    const secrets = [...new Set(list.map((h) => h.secret))];
    return `${key}: ${secrets.length} secrets (${secrets.slice(0, 4).join(', ')}${secrets.length > 4 ? ', …' : ''}), e.g. …${(list[0] as Hit).context}…`;
  });
}

const SIGNAL_FILES = ['traces', 'metrics', 'logs', 'audit'] as const;

/**
 * Waits until the traces, logs and audit files stop growing: the services have flushed what the probe
 * caused. (Metrics never stop: every service exports them each second.)
 */
export async function settleCollectorFiles(probe: ProbeStack, quietMs = 2000): Promise<void> {
  const sizes = () => SIGNAL_FILES.filter((s) => s !== 'metrics').map((s) => join(probe.collector.outDir, `${s}.jsonl`)).map((f) => (existsSync(f) ? statSync(f).size : 0)).join(',');
  let last = { sizes: '', since: Date.now() };
  await waitUntil('the collector files to stop growing', () => {
    const now = sizes();
    if (now !== last.sizes) last = { sizes: now, since: Date.now() };
    return Date.now() - last.since >= quietMs || undefined;
  }, { timeoutMs: 60_000, intervalMs: 250 });
}

const filesUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)) : [];

/** Every key and value in Redis. A BullMQ job's `data.diff` is set apart: the worker needs the diff it reviews. */
async function redisSinks(url: string): Promise<{ stores: Sink[]; jobDiffs: Sink[] }> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  const stores: string[] = [];
  const diffs: string[] = [];
  try {
    for await (const keys of redis.scanStream({ count: 500 }) as AsyncIterable<string[]>) {
      for (const key of keys) {
        stores.push(`key ${key}`);
        const type = await redis.type(key);
        if (type === 'string') stores.push((await redis.getBuffer(key))?.toString('latin1') ?? '');
        else if (type === 'list') stores.push(...(await redis.lrange(key, 0, -1)));
        else if (type === 'set') stores.push(...(await redis.smembers(key)));
        else if (type === 'zset') stores.push(...(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') stores.push(JSON.stringify(await redis.xrange(key, '-', '+')));
        else if (type === 'hash') {
          const hash = await redis.hgetall(key);
          if (hash.data !== undefined && hash.opts !== undefined) {
            const data = JSON.parse(hash.data) as { diff?: string };
            if (data.diff !== undefined) diffs.push(data.diff);
            hash.data = JSON.stringify({ ...data, diff: undefined });
          }
          stores.push(JSON.stringify(hash));
        }
      }
    }
  } finally {
    redis.disconnect();
  }
  return {
    stores: [{ group: 'redis', name: `${stores.length} keys and values`, text: searchableText(stores.join('\n')) }],
    jobDiffs: [{ group: 'redis job diffs', name: `${diffs.length} job diffs`, text: diffs.join('\n') }],
  };
}

export interface SinkReport {
  /** Stores that must hold no secret at all. */
  stores: Sink[];
  /** Answers to the probe (tool results, HTTP errors): no secret either, a reviewed one only masked. */
  answers: Sink[];
  /** Reported, not asserted: raw diffs in BullMQ job data (retention, issue 12) and the CLI's own output. */
  informational: Sink[];
  summary(): string;
}

/** Reads every sink. Call settleCollectorFiles first. */
export async function collectSinks(probe: ProbeStack, inputs: InputReport): Promise<SinkReport> {
  const read = (file: string) => (existsSync(file) ? searchableText(readFileSync(file, 'utf8')) : '');
  const stores: Sink[] = [];
  for (const started of probe.stack.started) {
    stores.push({ group: 'service output', name: `${started.component.name} stdout/stderr`, text: searchableText(started.process.output()) });
    stores.push({ group: 'service output', name: `${started.component.name} log file`, text: read(started.logFile) });
  }
  stores.push({ group: 'service output', name: 'otelcol log', text: read(join(probe.collector.outDir, 'otelcol.log')) });
  for (const signal of SIGNAL_FILES) stores.push({ group: `collector ${signal}`, name: `${signal}.jsonl`, text: read(join(probe.collector.outDir, `${signal}.jsonl`)) });
  for (const signal of ['traces', 'metrics', 'logs'] as const) stores.push({ group: `exported ${signal}`, name: `${signal} as the services sent them`, text: probe.tap.exported(signal), binary: true });
  for (const file of filesUnder(join(probe.dataDir, 'audit'))) stores.push({ group: 'audit spools', name: file.slice(probe.dataDir.length + 1), text: read(file) });
  const redis = await redisSinks(probe.stack.ctx.redisUrl);
  stores.push(...redis.stores);
  const informational = [...redis.jobDiffs, ...inputs.cliOutput];
  return {
    stores,
    answers: inputs.answers,
    informational,
    summary: () => {
      const groups = new Map<string, { sinks: number; bytes: number }>();
      for (const sink of [...stores, ...inputs.answers]) {
        const g = groups.get(sink.group) ?? { sinks: 0, bytes: 0 };
        groups.set(sink.group, { sinks: g.sinks + 1, bytes: g.bytes + sink.text.length });
      }
      return [`sinks searched: ${stores.length + inputs.answers.length} in ${groups.size} groups`, ...[...groups].map(([g, v]) => `  ${g}: ${v.sinks} sinks, ${v.bytes} chars`)].join('\n');
    },
  };
}
