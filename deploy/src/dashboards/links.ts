// Data links from a service's panels to its logs (VictoriaLogs) and traces (Jaeger) in Grafana's
// Explore, for the clicked series' service and the panel's time range. The Explore state is the
// `panes` JSON of Grafana 10+ URLs, percent-encoded around Grafana's own variables, which Grafana
// interpolates (and percent-encodes, via :percentencode) when the link is clicked.
import { JAEGER, LOGS } from './queries.ts';
import { link } from './panels.ts';

const SERVICE = '${__field.labels.job:percentencode}';
const FROM = '${__from}';
const TO = '${__to}';
const PLACEHOLDERS = { '@SERVICE@': SERVICE, '@FROM@': FROM, '@TO@': TO };

function exploreUrl(query: Record<string, unknown>, datasourceUid: string): string {
  const panes = { lookout: { datasource: datasourceUid, queries: [{ refId: 'A', ...query }], range: { from: '@FROM@', to: '@TO@' } } };
  let url = `/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
  for (const [placeholder, variable] of Object.entries(PLACEHOLDERS)) url = url.replaceAll(encodeURIComponent(placeholder), variable);
  return url;
}

/** LogsQL of the link: every log line of the series' service (the LogsQL of docs/operations/logging.md). */
export const SERVICE_LOGS_QUERY = 'service.name:="@SERVICE@"';

export function serviceLinks() {
  return [
    link('Logs of ${__field.labels.job}', exploreUrl({ datasource: LOGS, expr: SERVICE_LOGS_QUERY, queryType: 'instant' }, LOGS.uid)),
    link('Traces of ${__field.labels.job}', exploreUrl({ datasource: JAEGER, queryType: 'search', service: '@SERVICE@' }, JAEGER.uid)),
    // OTel's error status is Jaeger's error=true tag. Metric -> trace without exemplars: docs/adr/0008-exemplars.md.
    link('Error traces of ${__field.labels.job}', exploreUrl({ datasource: JAEGER, queryType: 'search', service: '@SERVICE@', tags: 'error=true' }, JAEGER.uid)),
  ];
}
