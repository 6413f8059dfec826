import type { RequestHandler } from 'express';
import type { ApiKeyStore, VerifyFailure } from '@lookout/apikeys';
import type { InstrumentsFor } from '@lookout/catalog';
import { getLogger, withLogContext } from '@lookout/logger';
import { JSONRPC, sendJsonRpcError } from './jsonrpc.ts';

const log = getLogger('mcp-server.auth');

const REALM = 'lookout';

/**
 * The token of an `Authorization: Bearer <token>` header; undefined when there is no header or it uses
 * another scheme. The scheme is case-insensitive (RFC 7235); whitespace around the token is ignored.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer(?:[ \t]+(.*))?$/i.exec(header ?? '');
  return match ? (match[1] ?? '').trim() : undefined;
}

/**
 * The WWW-Authenticate challenge for a refused request. Per RFC 6750 §3.1 a request without
 * credentials gets no error code; one with a bad token gets invalid_token.
 */
export function challenge(reason: VerifyFailure): string {
  return reason === 'missing' ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="invalid_token"`;
}

export type AuthOutcome = 'success' | 'missing' | 'invalid';
export const authOutcome = (reason: VerifyFailure | undefined): AuthOutcome =>
  reason === undefined ? 'success' : reason === 'missing' ? 'missing' : 'invalid';

export interface AuthOptions {
  apiKeys: Pick<ApiKeyStore, 'verifyApiKey'>;
  instruments: Pick<InstrumentsFor<'mcp-server'>, 'mcpAuthAttempts'>;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The API key id of an authenticated request. */
    apiKeyId?: string;
  }
}

/**
 * Verifies the bearer API key. A refused request gets 401, a challenge and a JSON-RPC-shaped body;
 * an accepted one runs on inside withLogContext({ userId: keyId }). The token is never logged.
 */
export function authenticate({ apiKeys, instruments }: AuthOptions): RequestHandler {
  return async (req, res, next) => {
    const result = await apiKeys.verifyApiKey(bearerToken(req.get('authorization')));
    const reason = result.ok ? undefined : result.reason;
    instruments.mcpAuthAttempts.add(1, { outcome: authOutcome(reason) });
    if (result.ok) {
      req.apiKeyId = result.keyId;
      withLogContext({ userId: result.keyId }, () => next());
      return;
    }
    // The reason is for operators; the client learns only that the key was not accepted.
    log.warn({ reason }, 'API key refused');
    res.setHeader('WWW-Authenticate', challenge(result.reason));
    sendJsonRpcError(
      res,
      401,
      JSONRPC.SERVER_ERROR,
      result.reason === 'missing' ? 'Unauthorized: send Authorization: Bearer <API key>' : 'Unauthorized: the API key is not valid',
    );
  };
}
