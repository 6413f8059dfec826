// A small seeded PRNG for the fuzz suite: the same seed gives the same requests, so a failure found
// once can be replayed (LOOKOUT_FUZZ_SEED). Not for anything secret.
import { randomInt } from 'node:crypto';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** `length` characters drawn from `alphabet`. */
  string(length: number, alphabet?: string): string;
}

export const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Printable ASCII and a few Latin-1 bytes: what an HTTP header value may carry. */
export const HEADER_SAFE = `${ALPHANUMERIC} !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~\u00e9\u00ff`;
/** Control characters, quotes, surrogates, emoji: what a JSON string may carry. */
export const NASTY = `${ALPHANUMERIC}\u0000\u0001\u001f"\\/\u2028\u2029\ud800\udfff\u{1f600}\u202e<>&'%{}[]`;

/** mulberry32: 32-bit state, fast, good enough to spread test inputs. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number],
    chance: (probability) => next() < probability,
    string: (length, alphabet = ALPHANUMERIC) => Array.from({ length }, () => alphabet[int(0, alphabet.length - 1)]).join(''),
  };
}

/** The i-th request's own generator: independent of the order requests are sent in. */
export const rngFor = (seed: number, index: number): Rng => createRng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);

/** The seed from LOOKOUT_FUZZ_SEED (decimal), else a fresh one; the suite prints it either way. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.LOOKOUT_FUZZ_SEED;
  if (given === undefined || given === '') return randomInt(0, 2 ** 31);
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`LOOKOUT_FUZZ_SEED must be a non-negative integer, got "${given}"`);
  return seed;
}
