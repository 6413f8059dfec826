import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { isRequestId, logContextFromBaggage, withLogContext } from '@lookout/logger';

/**
 * Runs the rest of the request inside withLogContext, so every log line (and baggage to downstream
 * services) carries request_id. A caller's id, from x-request-id or else from baggage, is kept only when
 * it is a UUID: it lands in logs and in the 400-day audit store, so anything else (a token pasted there
 * by mistake or on purpose) is replaced by a new one. Of the rest of the baggage only the logger's
 * allow-list is read (request_id, user_id, validated); no other entry reaches the request's context.
 */
export const requestContext: RequestHandler = (req, res, next) => {
  const header = req.get('x-request-id');
  const { requestId: upstreamId, userId } = logContextFromBaggage();
  const requestId = (isRequestId(header) ? header : upstreamId)?.toLowerCase() ?? randomUUID();
  res.setHeader('x-request-id', requestId);
  withLogContext({ requestId, ...(userId ? { userId } : {}) }, () => next());
};
