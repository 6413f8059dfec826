export { createLogger, getLogger, type CreateLoggerOptions, type Logger } from './logger.ts';
export {
  allowedBaggage, getLogContext, isRequestId, logContextFromBaggage, REQUEST_ID_PATTERN, withAllowedBaggage, withLogContext, type LogContext,
} from './context.ts';
export { isSecretKey, maskSecrets, maskString, REDACTED } from './mask.ts';
export { LOG_LEVELS, type LogLevel } from './level.ts';
