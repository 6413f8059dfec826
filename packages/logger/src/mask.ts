import pino from 'pino';
import { maskRandomRuns } from './high-entropy.ts';
import { REDACTED, ruleSteps } from './secret-patterns.ts';

export { REDACTED };

// Shorter strings cannot hold any secret shape we know ("pwd=x1" is the shortest that matters).
const MIN_SECRET_LENGTH = 6;
// Beyond this depth a value is replaced instead of walked: log objects are never that deep on purpose.
const MAX_DEPTH = 16;
const TOO_DEEP = '[TOO DEEP]';
const CIRCULAR = '[Circular]';

// The named rules, compiled from the one source (secret-patterns.ts) as the collector runs them.
const STEPS = ruleSteps().map((step) => ({ pattern: new RegExp(step.source, step.ignoreCase ? 'gi' : 'g'), replacement: step.replacement }));
// Every named rule as one alternation, so the common case (no secret) costs a single regex test.
// Case-insensitive steps are wrapped in a `(?i:...)` modifier group (V8 12.5+, so Node 24).
const ANY_NAMED = new RegExp(ruleSteps().map((step) => (step.ignoreCase ? `(?i:${step.source})` : `(?:${step.source})`)).join('|'));
// Strings already found clean. Log messages are mostly the same few literals, and a Map hit is
// cheaper than the combined regex. Only clean strings are kept, so no secret is held here.
const CLEAN_CACHE_MAX_ENTRIES = 4096;
const CLEAN_CACHE_MAX_LENGTH = 200;
const knownClean = new Set<string>();

/**
 * A copy of `text` that shares no memory with a larger string. V8 makes a substring (slice, split,
 * a regex match) a view on its parent, so caching one keeps the whole parent alive: one line of a
 * 1 MB diff held in knownClean held the 1 MB diff. Concatenating and slicing again copies the chars.
 */
const unshared = (text: string) => (' ' + text).slice(1);

/** Masks every secret shape found in `text`; returns the same string when there is none. */
export function maskString(text: string): string {
  if (text.length < MIN_SECRET_LENGTH || knownClean.has(text)) return text;
  let masked = text;
  if (ANY_NAMED.test(text)) for (const { pattern, replacement } of STEPS) masked = masked.replace(pattern, replacement);
  masked = maskRandomRuns(masked); // after the named rules, as in the collector
  if (masked === text && text.length <= CLEAN_CACHE_MAX_LENGTH) {
    if (knownClean.size >= CLEAN_CACHE_MAX_ENTRIES) knownClean.clear();
    knownClean.add(unshared(text));
  }
  return masked;
}

// Whole keys (after lower-casing and dropping - _ .) whose value is always a secret.
const SECRET_KEYS = new Set([
  'auth', 'pwd', 'pass', 'session', 'jwt', 'otp', 'cookie', 'cookies', 'setcookie', 'sig',
]);
// Key endings whose value is a secret: db_password, githubToken, x-api-key, client_secret...
const SECRET_KEY_ENDINGS = [
  'authorization', 'password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'privatekey', 'secretkey',
  'accesskey', 'accountkey', 'signingkey', 'encryptionkey', 'masterkey', 'sharedaccesskey', 'credential',
  'credentials', 'sessionid', 'sessionkey', 'cookie', 'signature',
];
const keyVerdicts = new Map<string, boolean>();
const MAX_CACHED_KEYS = 10_000;

/** True when a value stored under this object key must never be logged, whatever it looks like. */
export function isSecretKey(key: string): boolean {
  const cached = keyVerdicts.get(key);
  if (cached !== undefined) return cached;
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  const verdict = SECRET_KEYS.has(normalized) || SECRET_KEY_ENDINGS.some((ending) => normalized.endsWith(ending));
  // A key that is itself secret-shaped (a client's argument name) is never kept in the cache.
  if (keyVerdicts.size < MAX_CACHED_KEYS && maskString(key) === key) keyVerdicts.set(key, verdict);
  return verdict;
}

/**
 * Returns `value` with secrets masked: values under secret keys at any depth become "[REDACTED]",
 * secret shapes inside strings are masked by maskString, Errors become pino's serialized form
 * ({type, message, stack, ...}) masked the same way. Never mutates its input: an object is copied
 * only along the path to something it masks, so a clean object comes back as the same reference.
 */
export function maskSecrets<T>(value: T): T {
  const depthOnEntry = ancestors.length;
  try {
    return maskValue(value, 0) as T;
  } finally {
    ancestors.length = depthOnEntry; // a throwing toJSON must not leave stale entries behind
  }
}

// The objects being walked, for cycle detection. One shared stack instead of an array per call:
// maskSecrets runs on every log line. Push/pop discipline keeps it correct under re-entry.
const ancestors: object[] = [];

function maskValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (ancestors.includes(value)) return CIRCULAR;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (value instanceof Error) return maskPlainObject(pino.stdSerializers.err(value), depth, true);
  // URL and similar: what gets logged is their JSON form, so that is what must be masked.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return maskValue(toJSON.call(value), depth);
  if (Array.isArray(value)) return maskArray(value, depth);
  return maskPlainObject(value as Record<string, unknown>, depth, false);
}

function maskArray(array: unknown[], depth: number): unknown[] {
  ancestors.push(array);
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    const masked = maskValue(item, depth + 1);
    if (masked !== item) {
      copy ??= array.slice();
      copy[i] = masked;
    }
  }
  ancestors.pop();
  return copy ?? array;
}

function maskPlainObject(object: Record<string, unknown>, depth: number, alwaysCopy: boolean) {
  ancestors.push(object);
  // A serialized Error is always rebuilt as a plain object, which also drops pino's raw-error reference.
  let copy: Record<string, unknown> | undefined = alwaysCopy ? {} : undefined;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const item = object[key];
    // Strings and other primitives are handled inline: they are most of what a log line holds.
    const masked = isSecretKey(key)
      ? isHarmless(item) ? item : REDACTED
      : typeof item === 'string' ? maskString(item) : typeof item === 'object' && item !== null ? maskValue(item, depth + 1) : item;
    // A key can carry a secret too (a client-chosen argument or header name): it is masked like a value.
    const safeKey = maskString(key);
    if (safeKey !== key) {
      copy ??= { ...object };
      delete copy[key];
      copy[unusedKey(copy, safeKey)] = masked;
    } else if (alwaysCopy) {
      (copy as Record<string, unknown>)[key] = masked;
    } else if (masked !== item) {
      copy ??= { ...object };
      copy[key] = masked;
    }
  }
  ancestors.pop();
  return copy ?? object;
}

// Two masked keys must not overwrite each other: "[REDACTED]", then "[REDACTED] (2)"...
function unusedKey(object: Record<string, unknown>, key: string): string {
  let candidate = key;
  for (let n = 2; Object.hasOwn(object, candidate); n++) candidate = `${key} (${n})`;
  return candidate;
}

// `hasPassword: true` or `token: null` tells nothing secret, and masking it would hide useful facts.
function isHarmless(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'boolean' || value === REDACTED;
}
