// Every probe failure ends in one reason from a closed set (the label of
// lookout_canary_failures_total): what a client would have seen.
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CANARY_FAILURE_REASONS } from '@lookout/catalog';

export type FailureReason = (typeof CANARY_FAILURE_REASONS)[number];

/** A verdict the probe reached itself: the answer was wrong, or it came too late. */
export class ProbeFailure extends Error {
  override readonly name = 'ProbeFailure';
  readonly reason: FailureReason;
  constructor(reason: FailureReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function causeCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The reason for any error a probe run ended with. */
export function classify(error: unknown): FailureReason {
  if (error instanceof ProbeFailure) return error.reason;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  if (error instanceof McpError) return error.code === ErrorCode.RequestTimeout ? 'timeout' : 'server_error';
  if (error instanceof StreamableHTTPError) return error.code === 401 || error.code === 403 ? 'auth' : 'server_error';
  const code = causeCode(error);
  if (code && CONNECTION_CODES.has(code)) return 'unreachable';
  if (error instanceof TypeError && /fetch failed/.test(error.message)) return 'unreachable';
  return 'server_error';
}
