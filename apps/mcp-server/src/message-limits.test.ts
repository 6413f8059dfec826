import { describe, expect, it } from 'vitest';
import { hasDuplicateIds, MAX_MESSAGE_DEPTH, nestingDepth, tooDeepMessage } from './message-limits.ts';

/** A value nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { x: value };
  return value;
}

describe('message limits', () => {
  it('measures depth without recursion, stopping past the limit (a 200,000-deep value does not overflow)', () => {
    expect(nestingDepth({ a: [1, { b: 2 }] })).toBe(3);
    expect(nestingDepth('text')).toBe(0);
    expect(nestingDepth(nested(200_000))).toBe(MAX_MESSAGE_DEPTH + 1);
    expect(tooDeepMessage([{ ok: 1 }, nested(MAX_MESSAGE_DEPTH + 1)])).toBeDefined();
    expect(tooDeepMessage([nested(MAX_MESSAGE_DEPTH)])).toBeUndefined();
  });

  it('finds requests of a batch that share an id, ignoring notifications and responses', () => {
    const request = (id: unknown) => ({ jsonrpc: '2.0', id, method: 'ping' });
    expect(hasDuplicateIds([request(1), request(2), request('1')])).toBe(false);
    expect(hasDuplicateIds([request(1), { jsonrpc: '2.0', method: 'notifications/x' }, request(1)])).toBe(true);
    expect(hasDuplicateIds([{ jsonrpc: '2.0', id: 1, result: {} }, request(1)])).toBe(false);
  });
});
