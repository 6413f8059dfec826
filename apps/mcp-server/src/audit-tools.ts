// The audit trail of tool calls: every tools/call request is recorded (who = API key id, which
// tool, outcome, duration, an argument digest) before its response leaves, so a client that got an
// answer knows the call is on disk in the audit spool. Applied to the transport right after
// server.connect() and BEFORE instrumentTransport(), so the MCP span is active when a call arrives.
import { context, type Context } from '@opentelemetry/api';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isJSONRPCErrorResponse, isJSONRPCRequest, isJSONRPCResultResponse, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { digestArguments, type Audit } from '@lookout/audit';
import { getLogger } from '@lookout/logger';
import type { ToolCatalog } from './tools/index.ts';

const log = getLogger('mcp-server.audit');

/** What the server needs of @lookout/audit. */
export type AuditTrail = Pick<Audit, 'record' | 'hasRoom'>;

/** The tool name an audit record (and a log line) carries: a registered tool's name, else `_OTHER` (as the semantic conventions do). */
export const auditedToolName = (name: unknown, catalog: ToolCatalog): string => (typeof name === 'string' && catalog.has(name) ? name : '_OTHER');

/** What the trail keeps of a call's arguments: names only as the tool declares them (see digestArguments). */
const argumentsDigest = (tool: string, args: unknown, catalog: ToolCatalog) => digestArguments(args ?? {}, { names: catalog.get(tool) ?? [] });

/**
 * Records a tools/call refused before it reached the tool (its arguments too deep to process): the
 * refusal is on disk before the answer leaves, like any call. Arguments are summarised by size only.
 */
export async function recordRefusedToolCall(audit: AuditTrail, caller: { keyId: string }, catalog: ToolCatalog, params: unknown, reason: string, bodyBytes: number): Promise<void> {
  const name = typeof params === 'object' && params !== null ? (params as { name?: unknown }).name : undefined;
  try {
    await audit.record({
      action: 'mcp.tool.invoke',
      actor: { type: 'api_key', id: caller.keyId },
      target: { type: 'tool', id: auditedToolName(name, catalog) },
      outcome: 'failure',
      reason,
      metadata: { duration_ms: 0, arguments: { refused: true, body_bytes: bodyBytes } },
    });
  } catch (error) {
    log.error({ err: error }, 'could not record a refused tool call in the audit trail');
  }
}

interface PendingCall {
  tool: string;
  args: ReturnType<typeof digestArguments>;
  startedAt: number;
  context: Context;
}

export function auditToolCalls(transport: Transport, audit: AuditTrail, caller: { keyId: string }, catalog: ToolCatalog): void {
  const pending = new Map<RequestId, PendingCall>();
  const handle = transport.onmessage;
  const send = transport.send.bind(transport);

  const record = (call: PendingCall, outcome: 'success' | 'failure', reason?: string) =>
    context.with(call.context, () =>
      audit.record({
        action: 'mcp.tool.invoke',
        actor: { type: 'api_key', id: caller.keyId },
        target: { type: 'tool', id: call.tool },
        outcome,
        ...(reason ? { reason } : {}),
        metadata: { duration_ms: Math.round(performance.now() - call.startedAt), arguments: { ...call.args } },
      }),
    );

  transport.onmessage = (message, extra) => {
    if (!handle) return;
    if (isJSONRPCRequest(message) && message.method === 'tools/call') {
      const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown };
      const tool = auditedToolName(params.name, catalog);
      // Fail closed: a tool call that could not be audited is not run.
      if (!audit.hasRoom()) {
        log.error({ tool }, 'audit spool is full: refusing the tool call');
        void send({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'The audit trail is unavailable, so tools are refused for now; try again later.' }], isError: true } });
        return;
      }
      pending.set(message.id, { tool, args: argumentsDigest(tool, params.arguments, catalog), startedAt: performance.now(), context: context.active() });
    }
    handle(message, extra);
  };

  transport.send = async (message, options) => {
    if ('id' in message && message.id !== undefined && !isJSONRPCRequest(message)) {
      const call = pending.get(message.id);
      if (call) {
        pending.delete(message.id);
        const failed = isJSONRPCErrorResponse(message)
          ? `jsonrpc_error ${message.error.code}`
          : isJSONRPCResultResponse(message) && (message.result as { isError?: unknown }).isError === true
            ? 'tool_error'
            : undefined;
        try {
          await record(call, failed ? 'failure' : 'success', failed);
        } catch (error) {
          // The tool already ran; its answer still goes out, and the gap is loud in the logs.
          log.error({ err: error, tool: call.tool }, 'could not record a tool call in the audit trail');
        }
      }
    }
    return send(message, options);
  };

  const onclose = transport.onclose;
  transport.onclose = () => {
    for (const call of pending.values()) {
      record(call, 'failure', 'client went away before the response').catch((error: unknown) => log.error({ err: error, tool: call.tool }, 'could not record a tool call in the audit trail'));
    }
    pending.clear();
    onclose?.();
  };
}
