export { ALERTMANAGER_CONFIG, NOWHERE, PLACEHOLDER_BOT_TOKEN, SECRETS_MOUNT, readAlertmanagerSource, renderAlertmanager, renderAlertmanagerConfig, type AlertmanagerConfig, type AlertmanagerRenderOptions } from './alertmanager-config.ts';
export { PROMETHEUS_CONFIG, readPrometheusSource, renderPrometheus, renderPrometheusConfig, type PrometheusConfig, type RenderOptions } from './prometheus-config.ts';
export { REPO_ROOT, RENDER_RECORD, readRenderRecord, type AlertmanagerRender, type PrometheusRender } from './render-record.ts';
export { runDriftCheck, type DriftCheckOptions } from './check.ts';
export { formatDriftReport } from './format.ts';
export { COMPONENTS, SECTIONS, exitCodeOf, type ComponentResult, type DriftComponent, type DriftedObject, type DriftReport, type DriftSection } from './report.ts';
export type { Change } from './diff.ts';
export { durationMs, formatDuration, normalise } from './normalise.ts';
