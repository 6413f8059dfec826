export { createInstruments, type CreateInstrumentsOptions, type InstrumentsFor } from './instruments.ts';
export {
  inventory,
  SECONDS_BUCKETS,
  REVIEW_MODULES,
  MCP_TOOLS,
  MCP_METHODS,
  MCP_ERROR_TYPES,
  JOB_KINDS,
  JOB_ERROR_TYPES,
  QUEUES,
  DRIFT_COMPONENTS,
  DRIFT_SECTIONS,
  CANARY_PROBES,
  CANARY_FAILURE_REASONS,
  type LookoutInventory,
  type MetricKey,
} from './inventory.ts';
export { standardMetrics, type StandardMetric } from './standard.ts';
export { backendMetrics, type BackendMetric } from './backend.ts';
export { namingDivergence, prometheusName, prometheusSeries, prometheusType, sanitizePrometheusName, storedName, storedSeries, unitSuffix, type PrometheusType } from './prometheus.ts';
export { buildManifest, renderManifest, validateInventory, FORBIDDEN_LABELS } from './manifest.ts';
export type {
  AttributesOf,
  AttributeViolation,
  CatalogCounter,
  CatalogHistogram,
  CatalogObservableGauge,
  CatalogUpDownCounter,
  GaugeObserver,
  InstrumentKind,
  LabelSpec,
  MetricSpec,
  Owner,
} from './types.ts';
