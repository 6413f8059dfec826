import { describe, expect, it } from 'vitest';
import { parseJsonRpcBody } from './server.ts';

const codeOf = (text: string) => {
  try {
    parseJsonRpcBody(text);
    return undefined;
  } catch (error) {
    return (error as { code?: number; status?: number }).code;
  }
};

describe('parseJsonRpcBody', () => {
  it('accepts a message or a batch', () => {
    expect(parseJsonRpcBody('{"jsonrpc":"2.0","id":1,"method":"ping"}')).toEqual({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(parseJsonRpcBody('[{"jsonrpc":"2.0","method":"notifications/initialized"}]')).toHaveLength(1);
  });

  it('says -32700 for what is not JSON', () => {
    for (const text of ['', '{', 'nope', '{"a":1']) expect(codeOf(text), text).toBe(-32700);
  });

  it('says -32600 for JSON that is not JSON-RPC 2.0', () => {
    for (const text of ['{}', '[]', 'null', '"x"', '{"jsonrpc":"2.0"}', '{"jsonrpc":"2.0","id":1}', '[{"jsonrpc":"2.0","id":1,"method":"ping"},{}]']) {
      expect(codeOf(text), text).toBe(-32600);
    }
  });
});
