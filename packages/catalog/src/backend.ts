// Metrics the backends write about themselves, that rules and runbooks read: the collector's own
// telemetry (otelcol 0.148, scraped from :8888 as job="otel-collector") and Prometheus's own
// series. Not created through the catalog, and already in Prometheus's naming (no translation),
// but listed so every PromQL expression in rules, runbooks and dashboards can be checked against
// one complete set of names (slo/src/metric-existence.ts).

export interface BackendMetric {
  /** The name as Prometheus stores it. */
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** What writes it. */
  readonly source: string;
  /** Only appears once something failed (a refused item, a failed export). */
  readonly conditional?: boolean;
  readonly why: string;
}

const collector = 'otelcol 0.148.0 internal telemetry (job="otel-collector")';

const perSignal = (prefix: string, what: string, conditional?: boolean): BackendMetric[] =>
  (['spans', 'metric_points', 'log_records'] as const).map((signal) => ({
    name: `${prefix}_${signal}_total`,
    type: 'counter',
    source: collector,
    ...(conditional ? { conditional } : {}),
    why: `${what} (${signal.replace('_', ' ')}); label receiver/exporter names the component.`,
  }));

export const backendMetrics: readonly BackendMetric[] = Object.freeze([
  ...perSignal('otelcol_receiver_accepted', 'Items the collector receivers accepted: the telemetry-pipeline SLO total'),
  ...perSignal('otelcol_receiver_refused', 'Items refused at a receiver (memory_limiter back-pressure): telemetry-pipeline SLO errors'),
  ...perSignal('otelcol_exporter_sent', 'Items an exporter delivered'),
  ...perSignal('otelcol_exporter_send_failed', 'Items an exporter gave up on (retries exhausted): telemetry-pipeline SLO errors', true),
  { name: 'otelcol_exporter_queue_size', type: 'gauge', source: collector, why: 'Batches waiting in an exporter\'s sending queue (the audit queue grows first when logs-audit is down).' },
  { name: 'otelcol_exporter_queue_capacity', type: 'gauge', source: collector, why: 'The sending queue\'s capacity; size / capacity is how full it is.' },
  { name: 'up', type: 'gauge', source: 'Prometheus (every scrape target)', why: '1 when the last scrape of a target succeeded.' },
  { name: 'prometheus_config_last_reload_successful', type: 'gauge', source: 'Prometheus\'s own metrics (job="prometheus")', why: '0 when the last config reload was refused: Prometheus keeps the old config, a cause of configuration drift.' },
  { name: 'alertmanager_config_last_reload_successful', type: 'gauge', source: 'Alertmanager\'s own metrics (job="alertmanager")', why: '0 when the last config reload was refused: Alertmanager keeps the old config, a cause of configuration drift.' },
  { name: 'ALERTS', type: 'gauge', source: 'Prometheus rule evaluation (one series per pending or firing alert)', conditional: true, why: 'The SLO dashboard shows the alerts of each SLO (label alertstate, and the rule labels sloth_service, sloth_slo).' },
  { name: 'vl_rows_ingested_total', type: 'counter', source: 'VictoriaLogs 1.52 /metrics (job="victorialogs", label store names the instance)', why: 'Log rows ingested, by protocol (label type): the telemetry pipeline dashboard\'s VictoriaLogs ingestion.' },
  { name: 'scrape_duration_seconds', type: 'gauge', source: 'Prometheus (every scrape target)', why: 'How long the last scrape took; a scrape near scrape_timeout looks like a target down.' },
]);
