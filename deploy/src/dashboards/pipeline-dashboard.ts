// The telemetry pipeline (uid lookout-pipeline): what the collector accepted, refused, sent and
// failed per signal, its exporter queues, telemetry the services dropped, the audit spools and
// VictoriaLogs ingestion. The collector and VictoriaLogs are one each per environment, so only
// the services' panels (dropped telemetry, audit spool) take the environment and service variables.
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { environmentVariable, lookoutDashboard, serviceVariable } from './base.ts';
import { lines, stat, timeseries } from './panels.ts';
import { MAY_BE_EMPTY, envRate, inEnvironment, promql } from './queries.ts';

const COLLECTOR = 'job="otel-collector"';
const SIGNALS = ['spans', 'metric_points', 'log_records'] as const;
const rate = (metric: string, matchers: string) => `rate(${metric}{${matchers}}[$__rate_interval])`;
const perSignal = (prefix: string, by: string) =>
  SIGNALS.map((signal, i) => promql(`sum by (${by}) (${rate(`${prefix}_${signal}_total`, COLLECTOR)})`, `${signal} {{${by}}}`, { refId: String.fromCharCode(65 + i) }));

const collector = () => [
  timeseries('Accepted per second, by signal and receiver', 'short', perSignal('otelcol_receiver_accepted', 'receiver')).span(6),
  timeseries('Refused per second, by signal and receiver', 'short', perSignal('otelcol_receiver_refused', 'receiver'), 'memory_limiter back-pressure; 0 on a healthy stack.').span(6),
  timeseries('Sent per second, by signal and exporter', 'short', perSignal('otelcol_exporter_sent', 'exporter')).span(6),
  timeseries('Send failed per second, by signal and exporter', 'short', perSignal('otelcol_exporter_send_failed', 'exporter'), `Items an exporter gave up on; the series appear only after a failure. ${MAY_BE_EMPTY}`).span(6),
  timeseries('Exporter queue use', 'percentunit', [promql(`max by (exporter) (otelcol_exporter_queue_size{${COLLECTOR}} / otelcol_exporter_queue_capacity{${COLLECTOR}})`, '{{exporter}}')], 'Sending queue size / capacity. The CollectorQueueNearCapacity alert fires at 80 %.').thresholds(lines([0.8], 'green', 'red')).max(1).span(12),
  timeseries('VictoriaLogs rows ingested per second, by store', 'short', [promql(`sum by (store) (${rate('vl_rows_ingested_total', 'job="victorialogs"')})`, '{{store}}')], 'Both instances: app logs (logs-app) and audit events (logs-audit).').span(12),
];

const SERVICE = 'job=~"$service"';
const services = () => [
  timeseries('Telemetry dropped by the services, per second', 'short', [promql(`sum by (job, signal, reason) (${envRate('lookout_telemetry_dropped_total', SERVICE)})`, '{{job}} {{signal}} {{reason}}')], `Items the SDK queues dropped (queue full, export failed); the series appear only after a drop. ${MAY_BE_EMPTY}`).span(8),
  stat('Audit spool size (events)', 'short', [promql(`max by (job) (${inEnvironment(`lookout_audit_spool_size{${SERVICE}}`)})`, '{{job}}', { instant: true })]).span(8).height(8),
  timeseries('Oldest undelivered audit event', 's', [promql(`max by (job) (${inEnvironment(`lookout_audit_spool_oldest_undelivered_age_seconds{${SERVICE}}`)})`, '{{job}}')], 'The audit delivery SLO: under 5 minutes.').thresholds(lines([300], 'green', 'red')).span(8),
  stat('Newest SLO report (CSV) age', 's', [promql(`max(${inEnvironment(`lookout_slo_report_age_seconds{${SERVICE}}`)})`, 'age', { instant: true })], "The worker's scheduled report of the previous day (LOOKOUT_SLO_REPORT_DIR); over a day and a bit means a missed run.").thresholds(lines([90_000], 'green', 'red')).span(12).height(6),
  timeseries('SLO report runs, by outcome', 'short', [promql(`sum by (outcome) (${inEnvironment(`increase(lookout_slo_report_runs_total{${SERVICE}}[1h])`)})`, '{{outcome}}')], 'Runs of the scheduled SLO report job in the last hour (failure: Prometheus or the disk).').span(12).height(6),
];

export function pipelineDashboard(): Dashboard {
  const builder = lookoutDashboard({ uid: 'lookout-pipeline', title: 'Lookout telemetry pipeline', description: 'Collector, service-side drops, audit spools and VictoriaLogs ingestion.', tags: ['telemetry'], from: 'now-1h' })
    .withVariable(environmentVariable())
    .withVariable(serviceVariable());
  builder.withRow(new RowBuilder('Collector'));
  for (const panel of collector()) builder.withPanel(panel);
  builder.withRow(new RowBuilder('Services: dropped telemetry and audit spools'));
  for (const panel of services()) builder.withPanel(panel);
  return builder.build();
}
