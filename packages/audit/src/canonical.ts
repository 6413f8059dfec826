import { createHash } from 'node:crypto';

/** prev_hash of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One byte-exact JSON text per value: object keys sorted (by UTF-16 code unit, recursively), no
 * whitespace, undefined members left out. JSON.parse of it and canonicalJson again gives the same
 * text, so a reader that re-parses a stored event recomputes exactly the hash the writer computed.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const keys = Object.keys(value).sort();
  let text = '';
  for (const key of keys) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    text += `${text === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `{${text}}`;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The hash of an event: sha256 over the canonical JSON of every field except `hash` itself. */
export function eventHash(event: Readonly<Record<string, unknown>>): string {
  const { hash: _hash, ...rest } = event;
  return sha256Hex(canonicalJson(rest));
}
