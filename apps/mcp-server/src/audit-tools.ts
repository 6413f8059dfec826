// The audit trail of tool calls: every tools/call request is recorded (who = API key id, which
// tool, outcome, duration, an argument digest) before its response leaves, so a client that got an
// answer knows the call is on disk in the audit spool. Applied to the transport right after
// server.connect() and BEFORE instrumentTransport(), so the MCP span is active when a call arrives.
import { context, type Context } from '@opentelemetry/api';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isJSONRPCErrorResponse, isJSONRPCRequest, isJSONRPCResultResponse, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { digestArguments, type Audit } from '@lookout/audit';
import { getLogger } from '@lookout/logger';

const log = getLogger('mcp-server.audit');

/** What the server needs of @lookout/audit. */
export type AuditTrail = Pick<Audit, 'record' | 'hasRoom'>;

const SAFE_TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

interface PendingCall {
  tool: string;
  args: ReturnType<typeof digestArguments>;
  startedAt: number;
  context: Context;
}

export function auditToolCalls(transport: Transport, audit: AuditTrail, caller: { keyId: string }): void {
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
      const tool = typeof params.name === 'string' && SAFE_TOOL_NAME.test(params.name) ? params.name : 'invalid_name';
      // Fail closed: a tool call that could not be audited is not run.
      if (!audit.hasRoom()) {
        log.error({ tool }, 'audit spool is full: refusing the tool call');
        void send({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'The audit trail is unavailable, so tools are refused for now; try again later.' }], isError: true } });
        return;
      }
      pending.set(message.id, { tool, args: digestArguments(params.arguments ?? {}), startedAt: performance.now(), context: context.active() });
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
