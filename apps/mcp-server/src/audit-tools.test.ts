import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditInput } from '@lookout/audit';
import { auditToolCalls } from './audit-tools.ts';

function fakeTransport() {
  const handled: JSONRPCMessage[] = [];
  const sent: JSONRPCMessage[] = [];
  const transport = {
    onmessage: (message: JSONRPCMessage) => void handled.push(message),
    send: async (message: JSONRPCMessage) => void sent.push(message),
    onclose: () => {},
  } as unknown as Transport;
  return { transport, handled, sent };
}

const call = (id: number, args: unknown): JSONRPCMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'review_diff', arguments: args } }) as JSONRPCMessage;

const CATALOG = new Map([['review_diff', ['diff']]]);

describe('auditToolCalls', () => {
  it('records a tool call before its response is sent, with a digest instead of the arguments', async () => {
    const { transport, handled, sent } = fakeTransport();
    const order: string[] = [];
    const recorded: AuditInput[] = [];
    auditToolCalls(
      transport,
      {
        hasRoom: () => true,
        record: async (input) => {
          recorded.push(input);
          order.push('recorded');
          return {} as AuditEvent;
        },
      },
      { keyId: '0123456789abcdef' },
      CATALOG,
    );
    transport.onmessage?.(call(1, { diff: 'secret-ish diff text' }));
    expect(handled).toHaveLength(1);
    const sending = transport.send({ jsonrpc: '2.0', id: 1, result: { content: [], isError: true } }).then(() => order.push('sent'));
    await sending;
    expect(order).toEqual(['recorded', 'sent']);
    expect(sent).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ action: 'mcp.tool.invoke', actor: { type: 'api_key', id: '0123456789abcdef' }, target: { type: 'tool', id: 'review_diff' }, outcome: 'failure', reason: 'tool_error' });
    expect(JSON.stringify(recorded)).not.toContain('secret-ish');
    // Other messages pass through untouched.
    await transport.send({ jsonrpc: '2.0', id: 2, result: {} });
    expect(recorded).toHaveLength(1);
  });

  it('refuses a tool call (without running it) while the audit spool is full', async () => {
    const { transport, handled, sent } = fakeTransport();
    auditToolCalls(transport, { hasRoom: () => false, record: async () => ({}) as AuditEvent }, { keyId: '0123456789abcdef' }, CATALOG);
    transport.onmessage?.(call(7, {}));
    await new Promise((resolve) => setImmediate(resolve));
    expect(handled).toEqual([]);
    expect(sent).toMatchObject([{ id: 7, result: { isError: true } }]);
    expect(JSON.stringify(sent)).toMatch(/audit trail is unavailable/);
  });

  it('still answers when recording fails after the tool ran', async () => {
    const { transport, sent } = fakeTransport();
    auditToolCalls(transport, { hasRoom: () => true, record: async () => Promise.reject(new Error('disk full')) }, { keyId: '0123456789abcdef' }, CATALOG);
    transport.onmessage?.(call(3, {}));
    await transport.send({ jsonrpc: '2.0', id: 3, result: { content: [] } });
    expect(sent).toHaveLength(1);
  });
});
