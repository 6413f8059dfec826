// The default sender: OTLP/HTTP (JSON) logs to the collector. Each event is one log record whose
// body is the event's stored line, under instrumentation scope "@lookout/audit" with log.type=audit:
// the marker of docs/adr/0003-audit-stream.md, so the collector routes it to the audit pipeline only.
import { SeverityNumber, type Attributes } from '@opentelemetry/api';
import { ExportResultCode, type InstrumentationScope } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { otlpSignalUrlFromEnv } from '@lookout/otel-bootstrap/otlp-endpoint';
import type { AuditEvent } from './schema.ts';
import type { AuditBatch, AuditSender } from './shipper.ts';

export const AUDIT_SCOPE_NAME = '@lookout/audit';
const AUDIT_SCOPE: InstrumentationScope = { name: AUDIT_SCOPE_NAME, version: '0.1.0' };

/** The OTLP logs URL, by the bootstrap's one copy of the spec's rule (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT). */
export const otlpLogsUrl = (env: NodeJS.ProcessEnv = process.env): string => otlpSignalUrlFromEnv('logs', env);

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

/** One event as an OTLP log record: body = its stored line, the queryable facts as attributes. */
export function toLogRecord(event: AuditEvent, line: string, resource: Resource): ReadableLogRecord {
  const millis = Date.parse(event.time);
  const attributes: Attributes = {
    'log.type': 'audit',
    'event.id': event.event_id,
    'audit.action': event.action,
    'audit.outcome': event.outcome,
    'audit.stream': event.stream,
    'audit.seq': event.seq,
    'audit.actor.type': event.actor.type,
    'audit.actor.id': event.actor.id,
    'audit.target.type': event.target.type,
  };
  if (event.target.id !== undefined) attributes['audit.target.id'] = event.target.id;
  if (event.request_id !== undefined) attributes.request_id = event.request_id;
  const failed = event.outcome !== 'success';
  return {
    hrTime: [Math.floor(millis / 1000), (millis % 1000) * 1e6],
    hrTimeObserved: [Math.floor(millis / 1000), (millis % 1000) * 1e6],
    ...(event.trace_id && HEX32.test(event.trace_id) && event.span_id && HEX16.test(event.span_id)
      ? { spanContext: { traceId: event.trace_id, spanId: event.span_id, traceFlags: 1 } }
      : {}),
    severityNumber: failed ? SeverityNumber.WARN : SeverityNumber.INFO,
    severityText: failed ? 'WARN' : 'INFO',
    body: line,
    resource,
    instrumentationScope: AUDIT_SCOPE,
    attributes,
    droppedAttributesCount: 0,
  };
}

export interface OtlpSenderOptions {
  /** OTLP/HTTP logs URL. Default: otlpLogsUrl() from the environment. */
  url?: string;
  /** Extra request headers. Default none (the exporter also reads OTEL_EXPORTER_OTLP_*_HEADERS). */
  headers?: Record<string, string>;
  /** service.name of the resource. */
  service: string;
  /** Per request. Default 10 s. */
  timeoutMillis?: number;
}

export interface OtlpSender {
  send: AuditSender;
  url: string;
  shutdown(): Promise<void>;
}

export function createOtlpSender(options: OtlpSenderOptions): OtlpSender {
  const url = options.url ?? otlpLogsUrl();
  const exporter = new OTLPLogExporter({ url, headers: { ...options.headers }, timeoutMillis: options.timeoutMillis ?? 10_000 });
  const resource = resourceFromAttributes({ 'service.name': options.service });
  return {
    url,
    send: ({ events, lines }: AuditBatch) =>
      new Promise<void>((resolve, reject) => {
        const records = events.map((event, i) => toLogRecord(event, lines[i] as string, resource));
        exporter.export(records, (result) => {
          if (result.code === ExportResultCode.SUCCESS) resolve();
          else reject(result.error ?? new Error(`OTLP export to ${url} failed`));
        });
      }),
    shutdown: () => exporter.shutdown(),
  };
}
