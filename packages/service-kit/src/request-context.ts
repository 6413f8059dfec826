import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { logContextFromBaggage, withLogContext } from '@lookout/logger';

// A caller-supplied id is kept only when it is short and plain, so it can't smuggle data into logs.
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Runs the rest of the request inside withLogContext, so every log line (and baggage to downstream
 * services) carries request_id. The id comes from x-request-id, else from incoming baggage, else is new.
 */
export const requestContext: RequestHandler = (req, res, next) => {
  const header = req.get('x-request-id');
  const upstream = logContextFromBaggage();
  const requestId = header && SAFE_REQUEST_ID.test(header) ? header : (upstream.requestId ?? randomUUID());
  res.setHeader('x-request-id', requestId);
  withLogContext({ ...upstream, requestId }, () => next());
};
