// The real collector in test mode (production routing + a file per pipeline): audit events sent by
// @lookout/audit land in audit.jsonl only, never in logs.jsonl, with their trace and request ids.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLogContext } from '@lookout/logger';
import { collectorMissing, startCollector, waitUntil, type TestCollector } from '@lookout/testkit';
import { createAudit, type Audit } from './audit.ts';
import type { AuditEvent } from './schema.ts';
import { sample, tempDir } from './fixtures.test-support.ts';

const skip = collectorMissing();

interface OtlpLogRecord {
  traceId?: string;
  spanId?: string;
  body?: { stringValue?: string };
  attributes?: { key: string; value: { stringValue?: string; intValue?: string } }[];
}
interface OtlpLogsRequest {
  resourceLogs: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeLogs: { scope: { name: string }; logRecords: OtlpLogRecord[] }[] }[];
}

const records = (requests: unknown[]): { scope: string; resource: OtlpLogsRequest['resourceLogs'][number]['resource']; record: OtlpLogRecord }[] =>
  (requests as OtlpLogsRequest[]).flatMap((request) =>
    request.resourceLogs.flatMap((resource) => resource.scopeLogs.flatMap((scopeLogs) => scopeLogs.logRecords.map((record) => ({ scope: scopeLogs.scope.name, resource: resource.resource, record })))),
  );
const attribute = (record: OtlpLogRecord, key: string) => record.attributes?.find((a) => a.key === key)?.value.stringValue;

describe.skipIf(skip)('audit events through the real collector (test mode)', () => {
  let collector: TestCollector;
  let audit: Audit;
  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    collector = await startCollector({ config: 'test' });
    audit = await createAudit({ spoolDir: tempDir(), service: 'audit-test', endpoint: `${collector.otlpHttpUrl}/v1/logs` });
  });
  afterAll(async () => {
    await audit?.close();
    await collector?.stop();
    context.disable();
    propagation.disable();
  });

  it('routes them to the audit pipeline only, with trace_id, span_id and request_id', async () => {
    const tracer = new TracerProvider().getTracer('test');
    const span = tracer.startSpan('admin operation');
    const events: AuditEvent[] = await context.with(trace.setSpan(context.active(), span), () =>
      withLogContext({ requestId: '5f0c2a9e-3b7d-4e1f-8a6c-9d2b4e7f1a03' }, () => Promise.all([0, 1, 2].map((i) => audit.record(sample(i))))),
    );
    span.end();
    expect(await audit.flush(10_000)).toBe(true);

    // An ordinary app log after them: once it is in logs.jsonl, the app pipeline has had its chance.
    const marker = `app-marker-${Date.now()}`;
    const response = await fetch(`${collector.otlpHttpUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ scope: { name: 'app' }, logRecords: [{ body: { stringValue: marker } }] }] }] }),
    });
    expect(response.status).toBe(200);
    await waitUntil('the app marker in logs.jsonl', () => JSON.stringify(collector.read('logs')).includes(marker));

    const audited = await waitUntil('three audit records in audit.jsonl', () => {
      const found = records(collector.read('audit'));
      return found.length >= 3 && found;
    });
    expect(audited.map(({ record }) => attribute(record, 'event.id')).sort()).toEqual(events.map((e) => e.event_id).sort());
    for (const { scope, record, resource } of audited) {
      expect(scope).toBe('@lookout/audit');
      expect(attribute(record, 'log.type')).toBe('audit');
      expect(attribute(record, 'request_id')).toBe('5f0c2a9e-3b7d-4e1f-8a6c-9d2b4e7f1a03');
      expect(record.traceId?.toLowerCase()).toBe(span.spanContext().traceId);
      expect(record.spanId?.toLowerCase()).toBe(span.spanContext().spanId);
      expect(resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue).toBe('audit-test');
      const body = JSON.parse(record.body?.stringValue as string) as AuditEvent;
      expect(events).toContainEqual(body);
    }

    const appLogs = JSON.stringify(collector.read('logs'));
    for (const event of events) expect(appLogs).not.toContain(event.event_id);
    expect(appLogs).not.toContain('@lookout/audit');
  });
});
