// Minimal OTLP/JSON builders and readers for posting straight to the collector's OTLP/HTTP receiver
// (no SDK in between, so what the collector does is all that is tested).

type AnyValue = { stringValue: string } | { arrayValue: { values: { stringValue: string }[] } };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

/** Attributes from a plain object; string[] become OTLP arrays (as HTTP header attributes are). */
export function attributes(values: Record<string, string | string[]>): KeyValue[] {
  return Object.entries(values).map(([key, value]) => ({
    key,
    value: Array.isArray(value) ? { arrayValue: { values: value.map((stringValue) => ({ stringValue })) } } : { stringValue: value },
  }));
}

const resource = (serviceName: string) => ({ attributes: attributes({ 'service.name': serviceName }) });
const nowNanos = () => `${BigInt(Date.now()) * 1_000_000n}`;
const hex = (bytes: number) => Array.from({ length: bytes }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join('');

export interface LogInput {
  body: string;
  scope?: string;
  attributes?: Record<string, string | string[]>;
}

export function logsRequest(serviceName: string, records: LogInput[]) {
  return {
    resourceLogs: [
      {
        resource: resource(serviceName),
        // One scope entry per record keeps each record's scope name exact.
        scopeLogs: records.map((record) => ({
          scope: { name: record.scope ?? 'app' },
          logRecords: [
            {
              timeUnixNano: nowNanos(),
              severityText: 'INFO',
              body: { stringValue: record.body },
              attributes: attributes(record.attributes ?? {}),
            },
          ],
        })),
      },
    ],
  };
}

export function tracesRequest(serviceName: string, spans: { name: string; attributes: Record<string, string | string[]>; eventMessage?: string; traceState?: string }[]) {
  const traceId = hex(16);
  return {
    resourceSpans: [
      {
        resource: resource(serviceName),
        scopeSpans: [
          {
            scope: { name: 'collector-test' },
            spans: spans.map((span) => ({
              traceId,
              spanId: hex(8),
              name: span.name,
              ...(span.traceState === undefined ? {} : { traceState: span.traceState }),
              kind: 2,
              startTimeUnixNano: nowNanos(),
              endTimeUnixNano: nowNanos(),
              attributes: attributes(span.attributes),
              events: span.eventMessage
                ? [{ name: 'exception', timeUnixNano: nowNanos(), attributes: attributes({ 'exception.message': span.eventMessage }) }]
                : [],
            })),
          },
        ],
      },
    ],
  };
}

/** One cumulative counter and one histogram in seconds, the shapes of Lookout's RED metrics. */
export function metricsRequest(serviceName: string, instanceId: string) {
  const start = nowNanos();
  const point = { startTimeUnixNano: start, timeUnixNano: nowNanos(), attributes: attributes({ 'http.request.method': 'GET', 'http.route': '/reviews' }) };
  return {
    resourceMetrics: [
      {
        resource: { attributes: attributes({ 'service.name': serviceName, 'service.instance.id': instanceId }) },
        scopeMetrics: [
          {
            scope: { name: 'collector-test' },
            metrics: [
              {
                name: 'lookout.review.duration',
                unit: 's',
                description: 'Time to review one diff.',
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: [{ ...point, count: '3', sum: 0.6, bucketCounts: ['1', '2', '0'], explicitBounds: [0.1, 0.5] }],
                },
              },
              {
                name: 'lookout.reviews',
                unit: '{review}',
                description: 'Reviews created.',
                sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ ...point, asInt: '7' }] },
              },
            ],
          },
        ],
      },
    ],
  };
}

export async function postOtlp(baseUrl: string, signal: 'logs' | 'traces' | 'metrics', body: unknown): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`POST /v1/${signal} answered ${response.status}: ${await response.text()}`);
}

interface ExportedLogs {
  resourceLogs?: { scopeLogs?: { scope?: { name?: string }; logRecords?: { body?: { stringValue?: string }; attributes?: KeyValue[] }[] }[] }[];
}

/** Flattens file-exporter lines of logs into { scope, body } pairs. */
export function logRecords(lines: unknown[]): { scope: string; body: string }[] {
  return (lines as ExportedLogs[]).flatMap((line) =>
    (line.resourceLogs ?? []).flatMap((rl) =>
      (rl.scopeLogs ?? []).flatMap((sl) =>
        (sl.logRecords ?? []).map((record) => ({ scope: sl.scope?.name ?? '', body: record.body?.stringValue ?? '' })),
      ),
    ),
  );
}
