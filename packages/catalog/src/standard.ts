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

const RUNTIME_SOURCE = '@opentelemetry/instrumentation-runtime-node 0.37.0 (loaded by @lookout/otel-bootstrap in every service)';
const EVENT_LOOP_DELAY_WHY = 'Event loop delay (perf_hooks.monitorEventLoopDelay, sampled every 50 ms) since the previous collection: a blocked loop delays every request of the process.';

/** Node runtime metrics: event loop, heap, GC. Semconv (experimental) names from the runtime-node instrumentation. */
const runtimeMetrics: StandardMetric[] = [
  ...(['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'] as const).map((stat) => ({
    name: `nodejs.eventloop.delay.${stat}`,
    instrument: 'observable_gauge' as const,
    unit: 's',
    source: RUNTIME_SOURCE,
    labels: [],
    why: EVENT_LOOP_DELAY_WHY,
  })),
  { name: 'nodejs.eventloop.utilization', instrument: 'observable_gauge', unit: '1', source: RUNTIME_SOURCE, labels: [], why: 'Share of time the event loop was busy: saturation of the one thread that serves requests.' },
  { name: 'nodejs.eventloop.time', instrument: 'counter', unit: 's', source: RUNTIME_SOURCE, labels: ['nodejs.eventloop.state'], why: 'Cumulative time the event loop was active or idle (rate() gives utilization over any window).' },
  { name: 'v8js.gc.duration', instrument: 'histogram', unit: 's', source: RUNTIME_SOURCE, labels: ['v8js.gc.type'], why: 'Garbage-collection pauses by kind: long or frequent major GCs show memory pressure.' },
  { name: 'v8js.memory.heap.used', instrument: 'observable_gauge', unit: 'By', source: RUNTIME_SOURCE, labels: ['v8js.heap.space.name'], why: 'Used V8 heap per heap space: growth that never comes down is a leak.' },
  { name: 'v8js.memory.heap.space.size', instrument: 'updowncounter', unit: 'By', source: RUNTIME_SOURCE, labels: ['v8js.heap.space.name'], why: 'Reserved size per heap space.' },
  { name: 'v8js.memory.heap.space.available_size', instrument: 'observable_gauge', unit: 'By', source: RUNTIME_SOURCE, labels: ['v8js.heap.space.name'], why: 'Headroom per heap space.' },
  { name: 'v8js.memory.heap.space.physical_size', instrument: 'observable_gauge', unit: 'By', source: RUNTIME_SOURCE, labels: ['v8js.heap.space.name'], why: 'Committed (resident) size per heap space.' },
  { name: 'v8js.resource.active', instrument: 'observable_gauge', unit: '{resource}', source: RUNTIME_SOURCE, labels: ['v8js.resource.type'], why: 'Active handles and requests keeping the event loop alive (sockets, timers): a count that only grows is a leak.' },
];

export const standardMetrics: readonly StandardMetric[] = Object.freeze([
  ...runtimeMetrics,
  {
    name: 'http.server.request.duration',
    instrument: 'histogram',
    unit: 's',
    source: '@lookout/otel-bootstrap (http-server.ts: node:http servers, route from express)',
    labels: ['http.request.method', 'http.response.status_code', 'http.route', 'url.scheme', 'network.protocol.version', 'error.type'],
    why: 'Stable HTTP semconv; every service serves HTTP (POST /review, the MCP endpoint). Recorded for each inbound request except probes and scrapes (/health, /health/ready, /metrics).',
  },
  {
    name: 'http.client.request.duration',
    instrument: 'histogram',
    unit: 's',
    source: '@opentelemetry/instrumentation-http 0.301.0 (node:http) and @lookout/otel-bootstrap/fetch-client (fetch, the undici diagnostics channels)',
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
