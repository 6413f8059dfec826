// The service overview (uid lookout-services): RED per service, MCP per tool, reviewer per module,
// worker throughput and queue, the Node.js runtime (event loop, heap, GC), then the logs and traces
// of each selected service. Variables: environment (target_info's deployment_environment_name) and
// service (job = service.name).
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { RowBuilder, type Dashboard, type Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { environmentVariable, lookoutDashboard, serviceVariable } from './base.ts';
import { logs, stat, timeseries, traces } from './panels.ts';
import { serviceLinks } from './links.ts';
import { MAY_BE_EMPTY, envRate, inEnvironment, jaegerSearch, logsql, promql, quantiles } from './queries.ts';

const SERVICE = 'job=~"$service"';
const sumBy = (labels: string, inner: string) => `sum by (${labels}) (${inner})`;
const percentiles = (metric: string, matchers: string, by: string, legend: string) =>
  quantiles.map((q, i) => promql(`histogram_quantile(${q}, ${sumBy(`${by}, le`, envRate(`${metric}_bucket`, matchers))})`, `${legend} p${q * 100}`, { refId: String.fromCharCode(65 + i) }));

const red = () => [
  timeseries('Requests per second', 'reqps', [promql(sumBy('job', envRate('http_server_request_duration_seconds_count', SERVICE)), '{{job}}')], 'HTTP server requests (semconv http.server.request.duration).').dataLinks(serviceLinks()).span(8),
  timeseries('Server errors per second (5xx)', 'reqps', [promql(sumBy('job', envRate('http_server_request_duration_seconds_count', `${SERVICE}, http_response_status_code=~"5.."`)), '{{job}}')], MAY_BE_EMPTY).dataLinks(serviceLinks()).span(8),
  timeseries('Request duration p50 / p95 / p99', 's', percentiles('http_server_request_duration_seconds', SERVICE, 'job', '{{job}}')).dataLinks(serviceLinks()).span(8),
];

const TOOLS = `${SERVICE}, mcp_method_name="tools/call"`;
const mcp = () => [
  timeseries('MCP tool calls per second, by tool', 'reqps', [promql(sumBy('gen_ai_tool_name', envRate('mcp_server_operation_duration_seconds_count', TOOLS)), '{{gen_ai_tool_name}}')]).dataLinks(serviceLinks()).span(8),
  timeseries('MCP tool call errors per second, by tool and error', 'reqps', [promql(sumBy('gen_ai_tool_name, error_type', envRate('mcp_server_operation_duration_seconds_count', `${TOOLS}, error_type!=""`)), '{{gen_ai_tool_name}} {{error_type}}')], MAY_BE_EMPTY).span(8),
  timeseries('MCP tool call duration p50 / p95 / p99, by tool', 's', percentiles('mcp_server_operation_duration_seconds', TOOLS, 'gen_ai_tool_name', '{{gen_ai_tool_name}}')).span(8),
];

const reviewer = () => [
  timeseries('Reviews per second, by outcome', 'ops', [promql(sumBy('outcome', envRate('lookout_reviews_total', SERVICE)), '{{outcome}}')]).span(6),
  timeseries('Module duration p95, by module', 's', [promql(`histogram_quantile(0.95, ${sumBy('module, le', envRate('lookout_review_module_duration_seconds_bucket', SERVICE))})`, '{{module}}')]).span(6),
  timeseries('Findings per second, by module and severity', 'ops', [promql(sumBy('module, severity', envRate('lookout_review_findings_total', SERVICE)), '{{module}} {{severity}}')]).span(6),
  timeseries('Module failures per second, by module', 'ops', [promql(sumBy('module', envRate('lookout_review_module_failures_total', SERVICE)), '{{module}}')], MAY_BE_EMPTY).span(6),
];

const worker = () => [
  timeseries('Jobs finished per second, by kind and outcome', 'ops', [promql(sumBy('lookout_job_kind, outcome', envRate('lookout_jobs_processed_total', SERVICE)), '{{lookout_job_kind}} {{outcome}}')]).dataLinks(serviceLinks()).span(6),
  timeseries('Job processing p95, by kind', 's', [promql(`histogram_quantile(0.95, ${sumBy('lookout_job_kind, le', envRate('messaging_process_duration_seconds_bucket', SERVICE))})`, '{{lookout_job_kind}}')]).span(6),
  timeseries('Queue depth, by queue and state', 'short', [promql(`max by (messaging_destination_name, state) (${inEnvironment(`lookout_queue_depth{${SERVICE}}`)})`, '{{messaging_destination_name}} {{state}}')]).span(6),
  stat('Oldest waiting job', 's', [promql(`max by (messaging_destination_name) (${inEnvironment(`lookout_queue_oldest_waiting_job_age_seconds{${SERVICE}}`)})`, '{{messaging_destination_name}}', { instant: true })], 'The queue-freshness SLO: under 60 s.').span(6).height(8),
];

// One line per service (job): delay and utilization show its worst instance (max), because a
// saturated loop in one process is the problem whatever the others do; heap and GC add up.
const runtime = () => [
  timeseries('Event loop delay p99', 's', [promql(`max by (job) (${inEnvironment(`nodejs_eventloop_delay_p99_seconds{${SERVICE}}`)})`, '{{job}}')], 'How late a timer fires: a blocked loop delays every request of the process (runtime-node, 50 ms sampling).').dataLinks(serviceLinks()).span(6),
  timeseries('Event loop utilization', 'percentunit', [promql(`max by (job) (${inEnvironment(`nodejs_eventloop_utilization_ratio{${SERVICE}}`)})`, '{{job}}')], 'Share of time the loop was busy: near 100 % the one thread that serves requests is saturated.').dataLinks(serviceLinks()).span(6),
  timeseries('V8 heap used', 'bytes', [promql(`sum by (job) (${inEnvironment(`v8js_memory_heap_used_bytes{${SERVICE}}`)})`, '{{job}}')], 'All heap spaces together: growth that never comes down is a leak.').span(6),
  timeseries('GC time per second, by kind', 'percentunit', [promql(sumBy('job, v8js_gc_type', envRate('v8js_gc_duration_seconds_sum', SERVICE)), '{{job}} {{v8js_gc_type}}')], 'Share of wall time spent in garbage-collection pauses (v8js.gc.duration).').span(6),
];

/** Repeated per selected service, so each Jaeger search has exactly one service. */
const logsAndTraces = () => [
  logs('Error logs of $service', [logsql('service.name:="$service" severity_number:>=17 | sort by (_time desc) | limit 100')], `severity_number >= 17 is ERROR and FATAL in OTel. ${MAY_BE_EMPTY}`).span(12),
  traces('Recent traces of $service', [jaegerSearch('$service')], 'Jaeger search (sampled traces only, ADR 0004). Click a trace id to open it; its spans link to their logs.').span(12).height(10),
  logs('Logs of $service', [logsql('service.name:="$service" | sort by (_time desc) | limit 200')]).span(24),
];

export function servicesDashboard(): Dashboard {
  const builder = lookoutDashboard({ uid: 'lookout-services', title: 'Lookout services', description: 'RED per service, MCP per tool, reviewer per module, worker and queue, Node.js runtime.', tags: ['services'], from: 'now-1h' })
    .withVariable(environmentVariable())
    .withVariable(serviceVariable());
  const sections: [string, () => cog.Builder<Panel>[]][] = [
    ['RED per service', red],
    ['MCP server, per tool', mcp],
    ['Reviewer, per pipeline module', reviewer],
    ['Worker and queue', worker],
    ['Node.js runtime', runtime],
  ];
  for (const [title, panels] of sections) {
    builder.withRow(new RowBuilder(title));
    for (const panel of panels()) builder.withPanel(panel);
  }
  builder.withRow(new RowBuilder('Logs and traces of $service').repeat('service'));
  for (const panel of logsAndTraces()) builder.withPanel(panel);
  return builder.build();
}
