/**
 * Generated classes of input for the secret patterns, from a fixed seed (the same strings every run):
 * random secrets with no prefix, and the look-alikes that must stay untouched (ids, digests, base64 of
 * text, identifiers, paths, prose). The hand-written corpus holds one example per shape; these hold
 * hundreds per class, so a rule is tested on the class and not on one example.
 */
import type { SecretSample } from './secret-corpus.ts';

/** mulberry32: a tiny seeded PRNG, so the generated corpus is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = `${ALNUM}+/`;
const HEX = '0123456789abcdef';
// No secret words (password, token, key, auth, session...): prose must not trip the key=value rule.
const WORDS = [
  'review', 'diff', 'file', 'line', 'finding', 'worker', 'queue', 'digest', 'service', 'metric', 'trace', 'span',
  'build', 'deploy', 'commit', 'branch', 'merge', 'report', 'health', 'ready', 'error', 'retry', 'timeout', 'cache',
  'the', 'a', 'of', 'to', 'and', 'in', 'for', 'with', 'was', 'is', 'on', 'at', 'by', 'from', 'after', 'before',
  'Lookout', 'OpenTelemetry', 'Redis', 'BullMQ', 'Prometheus', 'Jaeger', 'collector', 'pipeline', 'module', 'rule',
];

function generator(seed: number) {
  const random = seeded(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const chars = (alphabet: string, length: number) => Array.from({ length }, () => pick([...alphabet])).join('');
  const capitalized = (word: string) => word[0]!.toUpperCase() + word.slice(1);
  const sentence = () => {
    const words = Array.from({ length: int(4, 30) }, () => (random() < 0.15 ? String(int(0, 9999)) : pick(WORDS)));
    return `${capitalized(words.join(' '))}${pick(['.', '!', '?', ':', ';', ',', '\n', '\t', ' (ok)', ' - done.'])}`;
  };
  return { random, int, pick, chars, capitalized, sentence };
}

const uuid = (g: ReturnType<typeof generator>, version: string) =>
  `${g.chars(HEX, 8)}-${g.chars(HEX, 4)}-${version}${g.chars(HEX, 3)}-${g.pick(['8', '9', 'a', 'b'])}${g.chars(HEX, 3)}-${g.chars(HEX, 12)}`;

/** `count` random secrets of 32 to 64 base64 or alphanumeric characters, each in a short context. */
export function generatedSecrets(count: number, seed = 1): SecretSample[] {
  const g = generator(seed);
  const contexts = ['{}', 'value {} end', '"{}"', '({})', 'x:{}', 'line one\n{}\nline two', 'secret material: {}.', "['{}']"];
  return Array.from({ length: count }, (_, i) => {
    const secret = g.chars(g.random() < 0.5 ? BASE64 : ALNUM, g.int(32, 64));
    return { name: `generated-secret-${i}`, secret, text: g.pick(contexts).replace('{}', secret) };
  });
}

/** `count` texts of the false-positive classes of the high-entropy rule; each must come out unchanged. */
export function generatedSafeTexts(count: number, seed = 2): string[] {
  const g = generator(seed);
  const base64OfText = () => {
    const text = Array.from({ length: g.int(1, 6) }, g.sentence).join(g.pick([' ', '\n', '\r\n']));
    const encoded = Buffer.from(text, 'latin1').toString(g.random() < 0.7 ? 'base64' : 'base64url');
    return g.random() < 0.5 ? encoded : encoded.replace(/=+$/, '');
  };
  const identifier = () => Array.from({ length: g.int(4, 9) }, () => g.capitalized(g.pick(WORDS.filter((w) => w.length > 2))) + (g.random() < 0.2 ? String(g.int(1, 99)) : '')).join('');
  const path = () => `/${Array.from({ length: g.int(3, 8) }, () => (g.random() < 0.5 ? g.capitalized(g.pick(WORDS)) : g.pick(WORDS)) + (g.random() < 0.2 ? String(g.int(1, 2030)) : '')).join('/')}`;
  const makers: (() => string)[] = [
    () => `trace ${g.chars(HEX, 32)} span ${g.chars(HEX, 16)}`,
    () => `traceparent: 00-${g.chars(HEX, 32)}-${g.chars(HEX, 16)}-0${g.int(0, 1)}`,
    () => `id ${uuid(g, '4')} / ${uuid(g, '7')}`,
    () => `review ${uuid(g, '4')}`,
    () => `sha1 ${g.chars(HEX, 40)}, sha256 ${g.chars(HEX, 64)}`,
    () => `DIGEST ${g.chars(HEX, g.int(32, 128)).toUpperCase()}`,
    () => `commit ${g.chars(HEX, g.pick([7, 12, 40]))}`,
    () => `payload ${base64OfText()}`,
    () => `at ${identifier()}.run (${identifier()}.ts:${g.int(1, 999)})`,
    () => `open ${path()}`,
    () => Array.from({ length: g.int(1, 4) }, g.sentence).join(' '),
  ];
  return Array.from({ length: count }, (_, i) => makers[i % makers.length]!());
}
