import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createInstruments } from '@lookout/catalog';
import { errorTypeOfCode, instrumentTransport, methodLabel, toolLabel } from './mcp-metrics.ts';
import { installTestTelemetry, points } from './fixtures.test-support.ts';

describe('labels', () => {
  it('keeps known methods and tools and folds the rest into "other"', () => {
    expect(methodLabel('tools/call')).toBe('tools/call');
    expect(methodLabel('resources/list')).toBe('_OTHER');
    expect(toolLabel('review_diff')).toBe('review_diff');
    expect(toolLabel('rm -rf /')).toBe('_OTHER');
    expect(toolLabel(undefined)).toBe('_OTHER');
  });

  it('turns JSON-RPC codes into error.type values from the catalog', () => {
    expect(errorTypeOfCode(-32602)).toBe('-32602');
    expect(errorTypeOfCode(-32001)).toBe('_OTHER');
  });
});

describe('instrumentTransport', () => {
  const telemetry = installTestTelemetry();
  afterAll(() => telemetry.uninstall());

  function fakeTransport() {
    const sent: JSONRPCMessage[] = [];
    const handled: JSONRPCMessage[] = [];
    const transport: Transport = {
      start: async () => {},
      close: async () => {},
      send: async (message) => {
        sent.push(message);
      },
      onmessage: (message) => {
        handled.push(message);
      },
    };
    const instrumented = instrumentTransport(transport, { instruments: createInstruments(telemetry.meter, 'mcp-server'), tracer: telemetry.tracer });
    return { transport, sent, handled, instrumented };
  }

  it('measures a request from receipt to response and marks tool errors', async () => {
    const { transport, sent, handled } = fakeTransport();
    transport.onmessage?.({ jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'get_review', arguments: {} } });
    expect(handled).toHaveLength(1);
    await transport.send({ jsonrpc: '2.0', id: 'a', result: { content: [], isError: true } });
    expect(sent).toHaveLength(1);

    const requests = await points(telemetry.reader, 'lookout.mcp.requests');
    expect(requests).toContainEqual({ attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'get_review', outcome: 'error' }, value: 1 });
    const span = telemetry.spans.getFinishedSpans().find((s) => s.name === 'tools/call get_review');
    expect(span?.attributes['error.type']).toBe('tool_error');
  });

  it('uses the JSON-RPC error code as error.type', async () => {
    const { transport } = fakeTransport();
    transport.onmessage?.({ jsonrpc: '2.0', id: 7, method: 'bogus/method' });
    await transport.send({ jsonrpc: '2.0', id: 7, error: { code: -32601, message: 'Method not found' } });
    const durations = await points(telemetry.reader, 'mcp.server.operation.duration');
    expect(durations).toContainEqual({ attributes: { 'mcp.method.name': '_OTHER', 'error.type': '-32601' }, value: 1 });
  });

  it('counts notifications on receipt', async () => {
    const { transport } = fakeTransport();
    transport.onmessage?.({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const requests = await points(telemetry.reader, 'lookout.mcp.requests');
    expect(requests).toContainEqual({ attributes: { 'mcp.method.name': 'notifications/initialized', 'gen_ai.tool.name': 'none', outcome: 'success' }, value: 1 });
  });

  it('ends what is pending when the client goes away', async () => {
    const { transport, instrumented } = fakeTransport();
    telemetry.spans.reset();
    transport.onmessage?.({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(telemetry.spans.getFinishedSpans()).toHaveLength(0);
    instrumented.abandon();
    const [span] = telemetry.spans.getFinishedSpans();
    expect(span?.name).toBe('ping');
    expect(span?.attributes['error.type']).toBe('_OTHER');
  });
});
