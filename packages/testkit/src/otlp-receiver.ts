// A real OTLP/HTTP receiver for integration tests: accepts /v1/traces,
// /v1/metrics and /v1/logs as http/protobuf or http/json (optionally gzip),
// keeps every decoded request, and can be stopped and restarted on the same
// port to simulate a collector outage.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { anyValue, keyValues, logRecordsOf, spansOf, type Attributes, type AttributeValue, type FileLogRecord, type FileSpan } from './otlp-lines.ts';

export { anyValue, keyValues, type Attributes, type AttributeValue };

export type OtlpSignal = 'traces' | 'metrics' | 'logs';

export interface ReceivedRequest {
  signal: OtlpSignal;
  encoding: 'protobuf' | 'json';
  headers: IncomingMessage['headers'];
  /** Decoded body in the OTLP/JSON shape (lowerCamelCase keys, hex trace/span ids). */
  body: Record<string, unknown>;
  receivedAt: number;
}

/** A span as the receiver flattens it: the same row as the collector's file readers give. */
export type ReceivedSpan = FileSpan;

export interface ReceivedDataPoint {
  attributes: Attributes;
  /** Sum/gauge value. */
  value?: number;
  /** Histogram fields. */
  count?: number;
  sum?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
}

export interface ReceivedMetric {
  name: string;
  unit: string;
  type: 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary' | 'unknown';
  dataPoints: ReceivedDataPoint[];
  resource: Attributes;
  scope: string;
}

export type ReceivedLogRecord = FileLogRecord;

export interface WaitOptions {
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Default 50 ms. */
  intervalMs?: number;
  /** Names what is awaited in the timeout error. */
  what?: string;
}

export interface OtlpReceiverOptions {
  /** Default 0: a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

const SIGNAL_TYPES: Record<OtlpSignal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
};
const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

const PROTO_DIR = fileURLToPath(new URL('../proto/', import.meta.url));
const SERVICE_FILES = ['trace', 'metrics', 'logs'].map((signal) => `opentelemetry/proto/collector/${signal}/v1/${signal}_service.proto`);
let protoRoot: protobuf.Root | undefined;

/** The protobuf type of an OTLP/HTTP export request, from the vendored opentelemetry-proto. */
export function otlpRequestType(signal: OtlpSignal): protobuf.Type {
  return loadProtoRoot().lookupType(SIGNAL_TYPES[signal]);
}
function loadProtoRoot(): protobuf.Root {
  if (!protoRoot) {
    // The vendored opentelemetry-proto release (proto/README.md); imports resolve inside it.
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
    protoRoot = root.loadSync(SERVICE_FILES);
  }
  return protoRoot;
}

/** Turns base64 ids into hex, recursively, so protobuf and JSON bodies look the same. */
function hexIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hexIds);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = ID_FIELDS.has(key) && typeof inner === 'string' ? Buffer.from(inner, 'base64').toString('hex') : hexIds(inner);
  }
  return out;
}

export function decodeOtlpBody(signal: OtlpSignal, contentType: string, raw: Buffer): { encoding: ReceivedRequest['encoding']; body: Record<string, unknown> } {
  if (contentType.includes('json')) return { encoding: 'json', body: JSON.parse(raw.toString('utf8')) as Record<string, unknown> };
  const type = otlpRequestType(signal);
  const message = type.decode(raw);
  const object = type.toObject(message, { longs: String, bytes: String, enums: Number, defaults: false, arrays: true });
  return { encoding: 'protobuf', body: hexIds(object) as Record<string, unknown> };
}


type Json = Record<string, unknown>;
const arr = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const num = (value: unknown): number | undefined => (value === undefined || value === null ? undefined : Number(value));
const scopeName = (scope: unknown): string => String((scope as Json | undefined)?.name ?? '');

function flattenDataPoint(point: Json): ReceivedDataPoint {
  return {
    attributes: keyValues(point.attributes),
    value: num(point.asDouble ?? point.asInt),
    count: num(point.count),
    sum: num(point.sum),
    bucketCounts: Array.isArray(point.bucketCounts) ? point.bucketCounts.map(Number) : undefined,
    explicitBounds: Array.isArray(point.explicitBounds) ? point.explicitBounds.map(Number) : undefined,
  };
}

export interface OtlpReceiver {
  readonly port: number;
  /** http://host:port, the value for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  readonly running: boolean;
  spans(): ReceivedSpan[];
  metrics(): ReceivedMetric[];
  logRecords(): ReceivedLogRecord[];
  /** Resolves with the first truthy value of check(); rejects after the timeout naming `what`. */
  waitFor<T>(check: (receiver: OtlpReceiver) => T | undefined | null | false, options?: WaitOptions): Promise<T>;
  /** Forget everything received so far. */
  clear(): void;
  /** Closes the port and every open connection (simulates an outage). Received data stays. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const host = options.host ?? '127.0.0.1';
  const requests: ReceivedRequest[] = [];
  let server: Server | undefined;
  let port = options.port ?? 0;

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const signal = /^\/v1\/(traces|metrics|logs)\/?$/.exec(request.url ?? '')?.[1] as OtlpSignal | undefined;
    if (request.method !== 'POST' || !signal) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const contentType = String(request.headers['content-type'] ?? '');
      try {
        let raw = Buffer.concat(chunks);
        if (request.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        const { encoding, body } = decodeOtlpBody(signal, contentType, raw);
        requests.push({ signal, encoding, headers: request.headers, body, receivedAt: Date.now() });
        if (encoding === 'json') response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        else response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(`cannot decode: ${(error as Error).message}`);
      }
    });
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(handle);
      next.once('error', reject);
      next.listen(port, host, () => {
        next.off('error', reject);
        port = (next.address() as AddressInfo).port;
        server = next;
        resolve();
      });
    });

  await listen();

  const receiver: OtlpReceiver = {
    get port() {
      return port;
    },
    get url() {
      return `http://${host}:${port}`;
    },
    requests,
    get running() {
      return server !== undefined;
    },
    spans: () => spansOf(requests.filter((r) => r.signal === 'traces').map((r) => r.body)),
    metrics() {
      const out: ReceivedMetric[] = [];
      for (const request of requests.filter((r) => r.signal === 'metrics')) {
        for (const rm of arr(request.body.resourceMetrics)) {
          const resource = keyValues((rm.resource as Json | undefined)?.attributes);
          for (const sm of arr(rm.scopeMetrics)) {
            for (const metric of arr(sm.metrics)) {
              const type = (['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const).find((key) => key in metric) ?? 'unknown';
              const data = type === 'unknown' ? undefined : (metric[type] as Json);
              out.push({
                name: String(metric.name ?? ''),
                unit: String(metric.unit ?? ''),
                type,
                dataPoints: arr(data?.dataPoints).map(flattenDataPoint),
                resource,
                scope: scopeName(sm.scope),
              });
            }
          }
        }
      }
      return out;
    },
    logRecords: () => logRecordsOf(requests.filter((r) => r.signal === 'logs').map((r) => r.body)),
    async waitFor(check, { timeoutMs = 10_000, intervalMs = 50, what = 'the receiver condition' } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = check(receiver);
        if (value) return value;
        if (Date.now() > deadline) {
          const counts = (['traces', 'metrics', 'logs'] as const).map((s) => `${s}=${requests.filter((r) => r.signal === s).length}`).join(' ');
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (requests received: ${counts})`);
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    },
    clear() {
      requests.length = 0;
    },
    async stop() {
      const current = server;
      if (!current) return;
      server = undefined;
      await new Promise<void>((resolve) => {
        current.close(() => resolve());
        current.closeAllConnections();
      });
    },
    async start() {
      if (!server) await listen();
    },
  };
  return receiver;
}
