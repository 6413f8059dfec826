// Metrics that may appear on /metrics besides the inventory's, created by libraries rather
// than through the catalog. Listed so alert rules and dashboards can be checked against a
// complete set, and so nobody "adds" them to the inventory by mistake.
import type { InstrumentKind } from './types.ts';

export interface StandardMetric {
  readonly name: string;
  readonly instrument: InstrumentKind;
  readonly unit: string;
  /** Package that creates it. */
  readonly source: string;
  /** Labels as documented by the source; their values are bounded by the source, not by us. */
  readonly labels: readonly string[];
  readonly why: string;
}

export const standardMetrics: readonly StandardMetric[] = Object.freeze([
  {
    name: 'http.server.request.duration',
    instrument: 'histogram',
    unit: 's',
    source: '@opentelemetry/instrumentation-http 0.301.0',
    labels: ['http.request.method', 'http.response.status_code', 'http.route', 'url.scheme', 'network.protocol.version', 'error.type'],
    why: 'Stable HTTP semconv; every service serves HTTP (POST /review, the MCP endpoint, health checks). Recorded for each inbound request.',
  },
  {
    name: 'http.client.request.duration',
    instrument: 'histogram',
    unit: 's',
    source: '@opentelemetry/instrumentation-http 0.301.0 (node:http) and @opentelemetry/instrumentation-undici (fetch)',
    labels: ['http.request.method', 'http.response.status_code', 'server.address', 'server.port', 'url.scheme', 'network.protocol.version', 'error.type'],
    why: 'Stable HTTP semconv; appears in services that call others over HTTP (e.g. mcp-server -> reviewer).',
  },
  {
    name: 'target_info',
    instrument: 'observable_gauge',
    unit: '',
    source: '@opentelemetry/exporter-prometheus 0.301.0',
    labels: ['service.name', 'service.version', 'service.instance.id', 'telemetry.sdk.name', 'telemetry.sdk.language', 'telemetry.sdk.version'],
    why: 'Written on every scrape unless withoutTargetInfo is set: the resource attributes as labels of a constant 1 (join with it to get service metadata).',
  },
]);
