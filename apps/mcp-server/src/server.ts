import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import type { Tracer } from '@opentelemetry/api';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ApiKeyStore } from '@lookout/apikeys';
import type { InstrumentsFor } from '@lookout/catalog';
import { getLogger } from '@lookout/logger';
import { getTracer } from '@lookout/otel-bootstrap';
import { bodyErrorAnswer, createServiceApp, finishServiceApp, type ReadyChecks } from '@lookout/service-kit';
import { auditToolCalls, recordRefusedToolCall, type AuditTrail } from './audit-tools.ts';
import { authenticate } from './auth.ts';
import { JSONRPC, sendJsonRpcError } from './jsonrpc.ts';
import { hasDuplicateIds, MAX_MESSAGE_DEPTH, tooDeepMessage } from './message-limits.ts';
import { instrumentTransport, recordMcpOperation, type McpErrorType } from './mcp-metrics.ts';
import { registerTools, type ToolCatalog, type ToolDeps } from './tools/index.ts';

const log = getLogger('mcp-server');

export const SERVER_INFO = { name: 'lookout', version: '0.1.0' } as const;

export interface McpAppOptions extends ToolDeps {
  apiKeys: Pick<ApiKeyStore, 'verifyApiKey'>;
  instruments: InstrumentsFor<'mcp-server'>;
  /** The audit trail (@lookout/audit): authentication events and every tool call are recorded. */
  audit: AuditTrail;
  /** Largest accepted POST /mcp body in bytes (LOOKOUT_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Readiness checks for /health/ready; main.ts passes redis and reviewer. Default none. */
  ready?: ReadyChecks;
  /** Default: the global tracer provider's '@lookout/mcp-server' tracer. */
  tracer?: Tracer;
}

/** A refused body: the HTTP status, JSON-RPC code and message, and what the metrics call it. */
class RpcRefusal extends Error {
  readonly status: number;
  readonly code: number;
  readonly errorType: McpErrorType;
  /** The id of the refused request, when the body was one request. */
  readonly id: string | number | null;
  /** The params of a refused tools/call: the refusal is audited as that call. */
  readonly refusedToolCall?: { params: unknown };
  constructor(status: number, code: number, message: string, errorType: McpErrorType, refused: { id?: string | number | null; toolCall?: { params: unknown } } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.errorType = errorType;
    this.id = refused.id ?? null;
    if (refused.toolCall) this.refusedToolCall = refused.toolCall;
  }
}

/** 415 unless the body is declared JSON, as the Streamable HTTP transport requires. */
const requireJson: RequestHandler = (req, _res, next) => {
  next(req.is('application/json') ? undefined : new RpcRefusal(415, JSONRPC.SERVER_ERROR, 'Unsupported Media Type: Content-Type must be application/json', '_OTHER'));
};

/**
 * Parses the body as one JSON-RPC message or a batch: -32700 when it isn't JSON; -32602 when a message
 * nests deeper than MAX_MESSAGE_DEPTH (checked before anything else walks it); -32600 when it isn't
 * JSON-RPC, or is a batch whose requests share an id (they could not each get their response).
 */
export function parseJsonRpcBody(text: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RpcRefusal(400, JSONRPC.PARSE_ERROR, 'Parse error: the body is not valid JSON', '-32700');
  }
  const messages = Array.isArray(body) ? body : [body];
  const deep = tooDeepMessage(messages);
  if (deep !== undefined) throw tooDeepRefusal(deep, messages.length === 1);
  if (messages.length === 0 || !messages.every((message) => JSONRPCMessageSchema.safeParse(message).success)) {
    throw new RpcRefusal(400, JSONRPC.INVALID_REQUEST, 'Invalid Request: the body is not a JSON-RPC 2.0 message or batch', '-32600');
  }
  if (hasDuplicateIds(messages)) {
    throw new RpcRefusal(400, JSONRPC.INVALID_REQUEST, 'Invalid Request: the requests of a batch must have distinct ids', '-32600');
  }
  return body;
}

/**
 * A tools/call naming a tool this server does not have is passed on with the name `_OTHER`, as the
 * semantic conventions name it in spans and metrics: the name is client input, and the SDK's answer
 * ("Tool … not found") would otherwise quote it back, secret and all. The call is still answered,
 * audited and traced, as a call of an unknown tool.
 */
export function withUnknownToolsAsOther(body: unknown, catalog: ToolCatalog): unknown {
  const rename = (message: unknown) => {
    const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
    if (method !== 'tools/call' || typeof params !== 'object' || params === null || catalog.has(params.name as string)) return message;
    return { ...(message as object), params: { ...params, name: UNKNOWN_TOOL } };
  };
  return Array.isArray(body) ? body.map(rename) : rename(body);
}
const UNKNOWN_TOOL = '_OTHER';

function tooDeepRefusal(message: unknown, alone: boolean): RpcRefusal {
  const { id, method, params } = (typeof message === 'object' && message !== null ? message : {}) as { id?: unknown; method?: unknown; params?: unknown };
  const validId = typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
  return new RpcRefusal(400, JSONRPC.INVALID_PARAMS, `Invalid params: the message nests deeper than ${MAX_MESSAGE_DEPTH} levels`, '-32602', {
    id: alone ? validId : null,
    ...(method === 'tools/call' ? { toolCall: { params } } : {}),
  });
}

/** A body the parser could not read (too large, bad encoding or charset, cut short) as a JSON-RPC refusal; service-kit classifies it. */
function bodyRefusal(error: unknown, limit: number): RpcRefusal | undefined {
  const answer = bodyErrorAnswer(error);
  if (!answer) return undefined;
  const message = answer.status === 413 ? `Payload Too Large: the body exceeds ${limit} bytes` : answer.message;
  return new RpcRefusal(answer.status, answer.status === 400 ? JSONRPC.INVALID_REQUEST : JSONRPC.SERVER_ERROR, message, '_OTHER');
}

/**
 * The MCP endpoint's error handler: every error is a JSON-RPC error body, never a stack. Refusals
 * of what the client sent say what was wrong; anything else is logged and answered -32603.
 */
function mcpErrors(options: Pick<McpAppOptions, 'instruments' | 'maxBodyBytes'>): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const refusal = error instanceof RpcRefusal ? error : bodyRefusal(error, options.maxBodyBytes);
    if (refusal) {
      // Parse and invalid-request errors are JSON-RPC outcomes, so they count; 413/415 are HTTP-level and show in http.server.*.
      if (refusal.status === 400) recordMcpOperation(options, { method: 'other', seconds: 0, errorType: refusal.errorType });
      sendJsonRpcError(res, refusal.status, refusal.code, refusal.message, refusal.id);
      return;
    }
    log.error({ err: error }, 'unhandled error on the MCP endpoint');
    sendJsonRpcError(res, 500, JSONRPC.INTERNAL_ERROR, 'Internal error; the x-request-id response header finds the logs');
  };
}

/**
 * The MCP server app: POST /mcp (Streamable HTTP, stateless, JSON responses) behind bearer API keys,
 * plus the service-kit routes (/health, /health/ready, /metrics). Start it with listen() from
 * @lookout/service-kit; main.ts does, with dependencies built from the environment.
 */
export function createMcpApp(options: McpAppOptions): Express {
  const { apiKeys, instruments, audit, maxBodyBytes, ready = {} } = options;
  const tracer = options.tracer ?? getTracer('@lookout/mcp-server');
  const app = createServiceApp({ name: 'mcp-server', ready });

  // The tool and argument names the audit trail may name: the tools' own registrations, read once.
  const catalog = registerTools(new McpServer(SERVER_INFO), options, { keyId: '' });
  const caller = (req: Request) => ({ keyId: req.apiKeyId as string });
  // One for every request's server: by default each McpServer builds its own Ajv instance (meta-schemas
  // and formats compiled anew), which was the largest single cost of a tool call.
  const jsonSchemaValidator = new AjvJsonSchemaValidator();

  const handleMcp: RequestHandler = async (req, res) => {
    const text = typeof req.body === 'string' ? req.body : '';
    let body: unknown;
    try {
      body = parseJsonRpcBody(text);
    } catch (error) {
      // A tool call refused unprocessed is still a call: on disk before the answer leaves.
      if (error instanceof RpcRefusal && error.refusedToolCall) {
        await recordRefusedToolCall(audit, caller(req), catalog, error.refusedToolCall.params, `jsonrpc_error ${error.code}`, Buffer.byteLength(text));
      }
      throw error;
    }
    body = withUnknownToolsAsOther(body, catalog);
    // Stateless: a server and transport per request, so no session state lives in this process.
    const server = new McpServer(SERVER_INFO, {
      capabilities: { tools: {} },
      jsonSchemaValidator,
      instructions: 'Lookout reviews unified diffs: review_diff now, submit_review_job to queue, get_review to read, bot_digest to summarise.',
    });
    registerTools(server, options, caller(req));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: maxBodyBytes });
    await server.connect(transport);
    auditToolCalls(transport, audit, caller(req), catalog);
    const telemetry = instrumentTransport(transport, { instruments, tracer }, { protocolVersion: req.get('mcp-protocol-version') });
    res.on('close', () => {
      telemetry.abandon();
      server.close().catch((error: unknown) => log.warn({ err: error }, 'could not close the MCP server of a request'));
    });
    await transport.handleRequest(req, res, body);
  };

  const methodNotAllowed: RequestHandler = (_req, res) => {
    res.setHeader('Allow', 'POST');
    sendJsonRpcError(res, 405, JSONRPC.SERVER_ERROR, 'Method Not Allowed: this server is stateless; send JSON-RPC with POST /mcp');
  };

  app.post(
    '/mcp',
    authenticate({ apiKeys, instruments, audit }),
    requireJson,
    // Read as text and parsed here, so a parse error gets a JSON-RPC answer rather than body-parser's.
    express.text({ type: () => true, limit: maxBodyBytes, defaultCharset: 'utf-8' }),
    handleMcp,
  );
  app.all('/mcp', methodNotAllowed);
  app.use('/mcp', mcpErrors(options));
  return finishServiceApp(app);
}
