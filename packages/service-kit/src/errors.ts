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

/** What a client's unreadable body is answered with: the HTTP status, an error code and a message. */
export interface BodyErrorAnswer {
  status: number;
  code: string;
  message: string;
}

// body-parser (raw-body) marks its errors with a type; these are the client's fault and get a precise answer.
const BODY_ERRORS: Record<string, BodyErrorAnswer> = {
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'request body is larger than the limit' },
  'entity.parse.failed': { status: 400, code: 'malformed_json', message: 'request body is not valid JSON' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: 'request body encoding is not supported' },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: 'request body charset is not supported' },
  'request.aborted': { status: 400, code: 'request_aborted', message: 'request body was cut short' },
  'request.size.invalid': { status: 400, code: 'bad_content_length', message: 'request body size does not match Content-Length' },
};

const BAD_ENCODING: BodyErrorAnswer = {
  status: 400,
  code: 'bad_content_encoding',
  message: 'request body is not encoded as its Content-Encoding says (gzip, deflate, br); send it compressed that way, or without the header',
};
const UNREADABLE: BodyErrorAnswer = { status: 400, code: 'unreadable_body', message: 'request body could not be read' };

/**
 * The answer to an error body-parser raised while reading a request body, or undefined for any other
 * error. A body that fails to decompress (Content-Encoding gzip on plain text) comes as zlib's own error
 * marked 400 with no type: it is the client's fault, and never a 500. Messages are fixed texts: the
 * parser's own ones may quote the body.
 */
export function bodyErrorAnswer(error: unknown): BodyErrorAnswer | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status, code } = error as { type?: unknown; status?: unknown; code?: unknown };
  if (typeof type === 'string' && BODY_ERRORS[type]) return BODY_ERRORS[type];
  // http-errors' createError(400, zlibError) keeps zlib's code (Z_DATA_ERROR, ERR_BROTLI_..., ERR__ERROR_FORMAT_...).
  if (status === 400 && typeof code === 'string' && /^(?:Z_|ERR_BROTLI|ERR__ERROR|ERR_ZSTD|ERR_ZLIB)/.test(code)) return BAD_ENCODING;
  if (typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: unknown }).expose === true) return UNREADABLE;
  return undefined;
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** 415 unless the request body is declared as JSON. */
export const requireJson: RequestHandler = (req, _res, next) => {
  next(req.is('application/json') ? undefined : new HttpError(415, 'unsupported_media_type', 'content-type must be application/json'));
};

// The path is client input: it is never quoted back (a secret pasted into a URL stays out of the answer).
export const notFound: RequestHandler = (req, res) => {
  const method = KNOWN_METHODS.has(req.method) ? req.method : 'this method';
  res.status(404).json(errorBody('not_found', `no route for ${method} on this path; see the service's README for its routes`));
};
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Last handler: a clear JSON error, never a stack trace; unexpected errors are logged (masked) with the request id. */
export const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (error instanceof HttpError) {
    res.status(error.status).json(errorBody(error.code, error.message));
    return;
  }
  const bodyError = bodyErrorAnswer(error);
  if (bodyError) {
    res.status(bodyError.status).json(errorBody(bodyError.code, bodyError.message));
    return;
  }
  log.error({ err: error }, 'unhandled error while serving a request');
  res.status(500).json(errorBody('internal_error', 'internal error; the request id in x-request-id finds the logs'));
};
