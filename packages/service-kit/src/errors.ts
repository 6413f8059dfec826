import type { ErrorRequestHandler, RequestHandler } from 'express';
import { getLogger } from '@lookout/logger';

const log = getLogger('service-kit');

/** An error whose message is safe to show the client. Anything else answers with a generic message. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

// body-parser marks its errors with a type; these are the client's fault and get a precise answer.
const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'request body is larger than the limit' },
  'entity.parse.failed': { status: 400, code: 'malformed_json', message: 'request body is not valid JSON' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: 'request body encoding is not supported' },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: 'request body charset is not supported' },
};

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** 415 unless the request body is declared as JSON. */
export const requireJson: RequestHandler = (req, _res, next) => {
  next(req.is('application/json') ? undefined : new HttpError(415, 'unsupported_media_type', 'content-type must be application/json'));
};

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not_found', `no route for ${req.method} ${req.path}`));
};

/** Last handler: a clear JSON error, never a stack trace; unexpected errors are logged (masked) with the request id. */
export const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (error instanceof HttpError) {
    res.status(error.status).json(errorBody(error.code, error.message));
    return;
  }
  const bodyError = typeof error === 'object' && error !== null && 'type' in error ? BODY_ERRORS[String(error.type)] : undefined;
  if (bodyError) {
    res.status(bodyError.status).json(errorBody(bodyError.code, bodyError.message));
    return;
  }
  log.error({ err: error }, 'unhandled error while serving a request');
  res.status(500).json(errorBody('internal_error', 'internal error; the request id in x-request-id finds the logs'));
};
