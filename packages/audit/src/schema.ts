import { z } from 'zod';
import { maskSecrets, maskString } from '@lookout/logger';

/** Dot-namespaced, lower case: `mcp.tool.invoke`, `auth.token.rejected`, `admin.apikey.revoke`. */
export const ACTION_PATTERN = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;
const TYPE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const MAX_REASON = 1000;

/** True when the logger's secret patterns (the one source, whole `lk_` API keys included) flag the text. */
export const looksSecret = (text: string): boolean => maskString(text) !== text;

// Identifiers often carry what a client sent (a tool name, a claimed key id, a CLI value): an event is
// never refused for its content, or the call would leave no record at all. Secret-shaped parts are
// masked and an over-long id is cut, so the event is always recorded and never holds the secret.
const identifier = (max: number) =>
  z
    .string()
    .min(1)
    .transform((value) => {
      const masked = maskString(value);
      return masked.length > max ? `${masked.slice(0, max - 1)}…` : masked;
    });

export const actorSchema = z.strictObject({
  /** What kind of actor: `api_key`, `operator`, `service`, `anonymous`... */
  type: z.string().regex(TYPE_PATTERN, 'lower-case word, e.g. api_key or operator'),
  /** Who: an identifier (masked like a log message if it holds a secret shape). */
  id: identifier(200),
});

export const targetSchema = z.strictObject({
  type: z.string().regex(TYPE_PATTERN, 'lower-case word, e.g. tool or api_key'),
  id: identifier(500).optional(),
});

export const outcomeSchema = z.enum(['success', 'failure', 'denied']);

/** What `record` accepts. */
export const auditInputSchema = z.strictObject({
  action: z.string().max(128).regex(ACTION_PATTERN, 'dot-namespaced lower-case words, e.g. mcp.tool.invoke'),
  actor: actorSchema,
  target: targetSchema,
  outcome: outcomeSchema,
  /** Why (for failure and denied); masked like a log message, cut at 1000 characters. */
  reason: z.string().min(1).optional(),
  /** Extra facts; masked like log fields (secret keys and secret-shaped values become [REDACTED]). */
  metadata: z.record(z.string(), z.json()).optional(),
});

export type AuditInput = z.input<typeof auditInputSchema>;
export type AuditActor = z.infer<typeof actorSchema>;
export type AuditTarget = z.infer<typeof targetSchema>;
export type AuditOutcome = z.infer<typeof outcomeSchema>;

/** A stored event, as written to the spool and carried as the OTLP log body. */
export const auditEventSchema = z.object({
  event_id: z.string().min(1),
  time: z.string().min(1),
  stream: z.string().min(1),
  seq: z.number().int().positive(),
  prev_hash: z.string().regex(HEX64),
  hash: z.string().regex(HEX64),
  action: z.string().regex(ACTION_PATTERN),
  actor: z.object({ type: z.string(), id: z.string() }),
  target: z.object({ type: z.string(), id: z.string().optional() }),
  outcome: outcomeSchema,
  reason: z.string().optional(),
  metadata: z.record(z.string(), z.json()).optional(),
  service: z.string().min(1),
  request_id: z.string().optional(),
  trace_id: z.string().optional(),
  span_id: z.string().optional(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;

/** Thrown by record() for input that fails the schema; the message names each field (never its value). */
export class AuditValidationError extends Error {
  override readonly name = 'AuditValidationError';
}

/** The validated, masked input: what an event carries besides ids, time, context and chain fields. */
export type CleanInput = Pick<AuditEvent, 'action' | 'actor' | 'target' | 'outcome' | 'reason' | 'metadata'>;

export function cleanInput(input: unknown): CleanInput {
  const parsed = auditInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`);
    throw new AuditValidationError(`invalid audit event: ${problems.join('; ')}`);
  }
  const { action, actor, target, outcome, reason, metadata } = parsed.data;
  // Everything a client can influence is masked here, before the event is hashed into its chain:
  // ids, the reason, metadata values AND keys (argument names). Nothing downstream masks audit events.
  return {
    action,
    actor, // ids are masked and cut by their schema (identifier)
    target,
    outcome,
    ...(reason === undefined ? {} : { reason: maskString(reason).slice(0, MAX_REASON) }),
    ...(metadata === undefined ? {} : { metadata: maskSecrets(metadata) as AuditEvent['metadata'] }),
  };
}
