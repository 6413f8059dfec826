import { canonicalJson, sha256Hex } from './canonical.ts';
import { looksSecret } from './schema.ts';

export interface ArgumentsDigest {
  /** sha256 (hex) of the canonical JSON of the arguments: proves what was sent without keeping it. */
  sha256: string;
  /** Canonical JSON length of all arguments, in bytes. */
  bytes: number;
  /** Top-level argument names (sorted), with the canonical JSON size of each value, in bytes. */
  sizes: Record<string, number>;
}

const MAX_KEYS = 50;
const SAFE_KEY = /^[A-Za-z_][\w.-]{0,63}$/;

export interface DigestOptions {
  /**
   * The argument names the tool declares (its input schema): only these are named in `sizes`, every
   * other name is counted as "_other". Default: any plain identifier that does not look like a secret.
   */
  names?: readonly string[];
}

/**
 * What an audit event keeps of a tool's arguments: a digest and a safe summary (names and sizes),
 * never a value. Argument names are client input: a name the tool does not declare (or, without
 * `names`, one that is not a plain identifier or looks like a secret) is summarised as "_other".
 * Note: a digest of guessable input (a short value) can be confirmed by hashing guesses.
 */
export function digestArguments(args: unknown, options: DigestOptions = {}): ArgumentsDigest {
  const known = options.names ? new Set(options.names) : undefined;
  const nameOf = (key: string) => ((known ? known.has(key) : SAFE_KEY.test(key) && !looksSecret(key)) ? key : '_other');
  const text = canonicalJson(args ?? null);
  const sizes: Record<string, number> = {};
  if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
    const keys = Object.keys(args).sort();
    for (const key of keys.slice(0, MAX_KEYS)) {
      const value = (args as Record<string, unknown>)[key];
      if (value === undefined) continue;
      const name = nameOf(key);
      sizes[name] = (sizes[name] ?? 0) + Buffer.byteLength(canonicalJson(value));
    }
    if (keys.length > MAX_KEYS) sizes._more = keys.length - MAX_KEYS;
  }
  return { sha256: sha256Hex(text), bytes: Buffer.byteLength(text), sizes };
}
