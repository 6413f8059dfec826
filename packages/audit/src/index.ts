// The writer side of the audit trail: record events durably and ship them. Reading and verifying
// what was recorded is `@lookout/audit/reader`.
export { createAudit, MAX_EVENT_BYTES, type Audit, type CreateAuditOptions, type SpoolStats } from './audit.ts';
export {
  ACTION_PATTERN, AuditValidationError, auditEventSchema, auditInputSchema, looksSecret,
  type AuditActor, type AuditEvent, type AuditInput, type AuditOutcome, type AuditTarget,
} from './schema.ts';
export { canonicalJson, eventHash, GENESIS_HASH } from './canonical.ts';
export { digestArguments, type ArgumentsDigest, type DigestOptions } from './digest.ts';
export { SpoolFullError } from './spool.ts';
export { AUDIT_SCOPE_NAME, createOtlpSender, otlpLogsUrl, toLogRecord, type OtlpSender, type OtlpSenderOptions } from './otlp.ts';
export type { AuditBatch, AuditSender } from './shipper.ts';
export { uuidv7 } from './ids.ts';
