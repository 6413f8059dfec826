// The reader side of the audit trail: read what was recorded (a spool folder, the audit store) and
// verify its hash chains. It imports nothing of the writer (spool, shipper, OTLP sender), so
// `lookout audit verify` and other readers never load the code that writes; reader.test.ts checks it.
export { verifyEvents, type ProblemKind, type StreamSummary, type VerifyProblem, type VerifyReport } from './verify.ts';
export { AUDIT_LOGSQL, readEventsFile, readVictoriaLogs, type VictoriaLogsSource } from './readers.ts';
export { canonicalJson, eventHash, GENESIS_HASH } from './canonical.ts';
export type { AuditEvent } from './schema.ts';
