import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { isRequestId, logContextFromBaggage, withLogContext } from '@lookout/logger';

/**
 * Runs the rest of the request inside withLogContext, so every log line (and baggage to downstream
 * services) carries request_id. A caller's id, from x-request-id or else from baggage, is kept only when
 * it is a UUID: it lands in logs and in the 400-day audit store, so anything else (a token pasted there
 * by mistake or on purpose) is replaced by a new one. Nothing else of the caller's baggage enters the
 * request's context: a user_id there is only a claim, so user_id is set by the service that
 * authenticates the request (the MCP server, from the API key), never taken from the client.
 */
export const requestContext: RequestHandler = (req, res, next) => {
  const header = req.get('x-request-id');
  const requestId = (isRequestId(header) ? header : logContextFromBaggage().requestId)?.toLowerCase() ?? randomUUID();
  res.setHeader('x-request-id', requestId);
  withLogContext({ requestId }, () => next());
};
