// Per JSON-RPC message telemetry: the catalog's MCP metrics, and one SERVER span per request whose
// parent is the trace context in params._meta (else the HTTP server span). It wraps the transport
// rather than the tool handlers so every method (initialize, tools/list, tools/call...) is measured
// the same way, from receipt of the message until its response is handed to the transport.
import { context, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { MCP_ERROR_TYPES, MCP_METHODS, MCP_TOOLS, type InstrumentsFor } from '@lookout/catalog';
import { getLogger } from '@lookout/logger';
import { startMcpServerSpan } from './trace-meta.ts';

const log = getLogger('mcp-server.mcp');

type McpMethod = (typeof MCP_METHODS)[number] | '_OTHER';
type McpTool = (typeof MCP_TOOLS)[number] | '_OTHER';
export type McpErrorType = (typeof MCP_ERROR_TYPES)[number];

export interface McpTelemetry {
  instruments: Pick<InstrumentsFor<'mcp-server'>, 'mcpRequests' | 'mcpOperationDuration'>;
  tracer: Tracer;
}

/** The method as a catalog label: listed methods as they are, anything else "_OTHER" (semconv). */
export const methodLabel = (method: string): McpMethod => ((MCP_METHODS as readonly string[]).includes(method) ? (method as McpMethod) : '_OTHER');

/** The tool as a catalog label: our tools as they are, anything else "_OTHER" (semconv). */
export const toolLabel = (name: unknown): McpTool =>
  typeof name === 'string' && (MCP_TOOLS as readonly string[]).includes(name) ? (name as McpTool) : '_OTHER';

/** error.type of a JSON-RPC error code: the code as a string when the catalog lists it, else _OTHER. */
export function errorTypeOfCode(code: number): McpErrorType {
  const text = String(code);
  return (MCP_ERROR_TYPES as readonly string[]).includes(text) ? (text as McpErrorType) : '_OTHER';
}

const toolNameOf = (params: unknown): unknown => (typeof params === 'object' && params !== null ? (params as { name?: unknown }).name : undefined);

/** Records one handled (or refused) message in the catalog metrics. */
export function recordMcpOperation(
  { instruments }: Pick<McpTelemetry, 'instruments'>,
  { method, toolName, seconds, errorType }: { method: string; toolName?: unknown; seconds: number; errorType?: McpErrorType },
): void {
  const methodName = methodLabel(method);
  const isToolCall = method === 'tools/call';
  const tool = isToolCall ? toolLabel(toolName) : undefined;
  instruments.mcpRequests.add(1, {
    'mcp.method.name': methodName,
    'gen_ai.tool.name': tool ?? 'none',
    outcome: errorType ? 'error' : 'success',
  });
  instruments.mcpOperationDuration.record(seconds, {
    'mcp.method.name': methodName,
    ...(tool ? { 'gen_ai.tool.name': tool } : {}),
    ...(errorType ? { 'error.type': errorType } : {}),
  });
}

interface Pending {
  method: string;
  toolName?: unknown;
  startedAt: number;
  span: Span;
}

export interface TransportInfo {
  sessionId?: string;
  protocolVersion?: string;
}

/** How a response ends its request: the error type, if it failed, and a message for the span status. */
function responseOutcome(message: JSONRPCMessage): { errorType?: McpErrorType; code?: number } {
  if (isJSONRPCErrorResponse(message)) return { errorType: errorTypeOfCode(message.error.code), code: message.error.code };
  if (isJSONRPCResultResponse(message) && (message.result as { isError?: unknown }).isError === true) return { errorType: 'tool_error' };
  return {};
}

const seconds = (startedAt: number) => (performance.now() - startedAt) / 1000;

/**
 * Wraps a connected transport's onmessage and send. Call after server.connect(transport), which
 * installs the handlers being wrapped. Returns abandon(): ends what is still pending (the client went
 * away before its response), so no span stays open.
 */
export function instrumentTransport(transport: Transport, telemetry: McpTelemetry, info: TransportInfo = {}): { abandon(): void } {
  const pending = new Map<RequestId, Pending>();
  const handle = transport.onmessage;
  const send = transport.send.bind(transport);

  const finish = (entry: Pending, errorType: McpErrorType | undefined, code?: number) => {
    const elapsed = seconds(entry.startedAt);
    recordMcpOperation(telemetry, { method: entry.method, toolName: entry.toolName, seconds: elapsed, errorType });
    if (errorType) {
      entry.span.setAttribute('error.type', errorType);
      if (code !== undefined) entry.span.setAttribute('rpc.response.status_code', String(code));
      entry.span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
    }
    entry.span.end();
    // One line per request: the audit trail of who (user_id in the context) called which tool.
    log.info(
      {
        mcp_method: methodLabel(entry.method),
        tool: entry.toolName === undefined ? undefined : toolLabel(entry.toolName),
        outcome: errorType ? 'error' : 'success',
        error_type: errorType,
        duration_ms: Math.round(elapsed * 1000),
      },
      'mcp request handled',
    );
  };

  transport.onmessage = (message, extra) => {
    if (!handle) return;
    if (isJSONRPCRequest(message)) {
      const toolName = message.method === 'tools/call' ? toolNameOf(message.params) : undefined;
      const { span, context: spanContext } = startMcpServerSpan(
        telemetry.tracer,
        { method: message.method, toolName: typeof toolName === 'string' ? toolName : undefined, requestId: message.id, ...info },
        message.params,
      );
      pending.set(message.id, { method: message.method, toolName, startedAt: performance.now(), span });
      context.with(spanContext, () => handle(message, extra));
      return;
    }
    if (isJSONRPCNotification(message)) {
      // A notification's "response" is the 202 the transport sends once this returns.
      const startedAt = performance.now();
      try {
        handle(message, extra);
        recordMcpOperation(telemetry, { method: message.method, seconds: seconds(startedAt) });
      } catch (error) {
        recordMcpOperation(telemetry, { method: message.method, seconds: seconds(startedAt), errorType: '_OTHER' });
        throw error;
      }
      return;
    }
    handle(message, extra);
  };

  transport.send = async (message, options) => {
    if ('id' in message && message.id !== undefined && !isJSONRPCRequest(message)) {
      const entry = pending.get(message.id);
      if (entry) {
        pending.delete(message.id);
        const { errorType, code } = responseOutcome(message);
        finish(entry, errorType, code);
      }
    }
    return send(message, options);
  };

  return {
    abandon() {
      for (const entry of pending.values()) finish(entry, '_OTHER');
      pending.clear();
    },
  };
}
