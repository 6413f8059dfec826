import type { Response } from 'express';

/** JSON-RPC error codes this server answers with outside the SDK. */
export const JSONRPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** Implementation-defined server error: what the SDK's transport uses for HTTP-level refusals. */
  SERVER_ERROR: -32000,
} as const;

/** Answers with a JSON-RPC error object; id null when the request was not or could not be read. */
export function sendJsonRpcError(res: Response, status: number, code: number, message: string, id: string | number | null = null): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id });
}
