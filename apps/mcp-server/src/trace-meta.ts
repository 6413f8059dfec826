// MCP carries W3C trace context in a request's params._meta (MCP semconv), because one HTTP request
// (or one stdio stream) may hold messages from different client operations. This module turns that
// into the parent of the server span for the message.
import { context, propagation, SpanKind, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { spanMethodName, spanProtocolVersion, spanToolName } from './mcp-span-names.ts';

// Only the trace context is taken from _meta. Baggage is left out on purpose: it carries user_id
// and request_id downstream, and those come from the authenticated request, not from the client.
const META_KEYS = ['traceparent', 'tracestate'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** traceparent/tracestate from params._meta when a traceparent is there, else undefined. */
export function traceCarrierFromMeta(params: unknown): Record<string, string> | undefined {
  const meta = isRecord(params) && isRecord(params._meta) ? params._meta : undefined;
  if (!meta || typeof meta.traceparent !== 'string') return undefined;
  const carrier: Record<string, string> = {};
  for (const key of META_KEYS) {
    const value = meta[key];
    if (typeof value === 'string') carrier[key] = value;
  }
  return carrier;
}

/**
 * The parent context for handling a message: `base` (which holds the HTTP server span and the
 * request's baggage) with its span context replaced by the one in params._meta, when that is valid.
 */
export function parentContextFromMeta(params: unknown, base: Context = context.active()): Context {
  const carrier = traceCarrierFromMeta(params);
  // An invalid traceparent extracts to nothing, which leaves `base` as it was.
  return carrier ? propagation.extract(base, carrier) : base;
}

export interface McpSpanInfo {
  /** The JSON-RPC method, as sent. */
  method: string;
  /** params.name of tools/call. */
  toolName?: string;
  requestId?: string | number;
  sessionId?: string;
  protocolVersion?: string;
}

/** Span name per MCP semconv: "{mcp.method.name} {target}", the target being the tool for tools/call. */
export const mcpSpanName = ({ method, toolName }: Pick<McpSpanInfo, 'method' | 'toolName'>): string =>
  toolName === undefined ? spanMethodName(method) : `${spanMethodName(method)} ${spanToolName(toolName)}`;

// Bounds what a span holds until export; the bootstrap's export masking then keeps only integer ids.
const MAX_ID_LENGTH = 128;
const clip = (value: string) => (value.length > MAX_ID_LENGTH ? value.slice(0, MAX_ID_LENGTH) : value);

// Methods, tools and versions come from bounded sets (mcp-span-names.ts).
export function mcpSpanAttributes(info: McpSpanInfo): Attributes {
  const attributes: Attributes = { 'mcp.method.name': spanMethodName(info.method) };
  if (info.toolName !== undefined) {
    attributes['gen_ai.tool.name'] = spanToolName(info.toolName);
    attributes['gen_ai.operation.name'] = 'execute_tool';
  }
  if (info.requestId !== undefined) attributes['jsonrpc.request.id'] = clip(String(info.requestId));
  if (info.sessionId !== undefined) attributes['mcp.session.id'] = clip(info.sessionId);
  if (info.protocolVersion !== undefined) attributes['mcp.protocol.version'] = spanProtocolVersion(info.protocolVersion);
  return attributes;
}

/** Starts the SERVER span of one MCP request, as a child of `params._meta`'s trace context when sent. */
export function startMcpServerSpan(tracer: Tracer, info: McpSpanInfo, params: unknown, base: Context = context.active()): { span: Span; context: Context } {
  const parent = parentContextFromMeta(params, base);
  const span = tracer.startSpan(mcpSpanName(info), { kind: SpanKind.SERVER, attributes: mcpSpanAttributes(info) }, parent);
  return { span, context: trace.setSpan(parent, span) };
}
