import type { RequestHandler } from 'express';
import { parseToken, type ApiKeyStore, type VerifyFailure } from '@lookout/apikeys';
import type { InstrumentsFor } from '@lookout/catalog';
import { getLogger, withLogContext } from '@lookout/logger';
import type { AuditTrail } from './audit-tools.ts';
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
  audit: Pick<AuditTrail, 'record'>;
}

const TARGET = { type: 'endpoint', id: '/mcp' } as const;

/**
 * Who tried: the key id the token claims (an identifier, not the secret) when the token is well formed,
 * else the client address.
 */
function claimedActor(token: string | undefined, clientAddress: string | undefined) {
  const keyId = token ? parseToken(token)?.keyId : undefined;
  return keyId ? { type: 'api_key', id: keyId } : { type: 'anonymous', id: clientAddress || 'unknown' };
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
export function authenticate({ apiKeys, instruments, audit }: AuthOptions): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    const result = await apiKeys.verifyApiKey(token);
    const reason = result.ok ? undefined : result.reason;
    instruments.mcpAuthAttempts.add(1, { outcome: authOutcome(reason) });
    const client_address = req.socket.remoteAddress ?? 'unknown';
    if (result.ok) {
      req.apiKeyId = result.keyId;
      withLogContext({ userId: result.keyId }, () => {
        // Not awaited: an accepted key is followed by the request it allows, whose tool calls are
        // recorded durably before their answers; waiting for this fsync too would only add latency.
        audit
          .record({ action: 'auth.token.accepted', actor: { type: 'api_key', id: result.keyId }, target: TARGET, outcome: 'success', metadata: { client_address } })
          .catch((error: unknown) => log.error({ err: error }, 'could not record an accepted API key in the audit trail'));
        next();
      });
      return;
    }
    // The reason is for operators; the client learns only that the key was not accepted.
    log.warn({ reason }, 'API key refused');
    // A refusal is on disk before the 401 leaves (the audit trail's durability guarantee).
    await audit
      .record({
        action: result.reason === 'missing' ? 'auth.token.missing' : 'auth.token.rejected',
        actor: claimedActor(token, client_address),
        target: TARGET,
        outcome: 'denied',
        ...(result.reason === 'missing' ? {} : { reason: result.reason }),
        metadata: { client_address },
      })
      .catch((error: unknown) => log.error({ err: error }, 'could not record a refused API key in the audit trail'));
    res.setHeader('WWW-Authenticate', challenge(result.reason));
    sendJsonRpcError(
      res,
      401,
      JSONRPC.SERVER_ERROR,
      result.reason === 'missing' ? 'Unauthorized: send Authorization: Bearer <API key>' : 'Unauthorized: the API key is not valid',
    );
  };
}
