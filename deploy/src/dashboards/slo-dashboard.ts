// The SLO dashboard (uid lookout-slo): one row per SLO, repeated over the `slo` variable, read
// from sloth's recording rules (slo:*), so it shows exactly what the alerts evaluate. The uid and
// the variables `service` and `slo` are the contract of every alert's dashboard_url annotation
// (slo/lookout.slo.yaml); dashboards.test.ts checks that each of those URLs resolves here.
//
// No `environment` variable here: sloth's recordings aggregate every instance Prometheus scrapes
// (sum(rate(...))) and keep no environment label; one Prometheus serves one environment.
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { lookoutDashboard, queryVariable } from './base.ts';
import { BURN_WINDOWS, SLO_PERIOD, type CatalogueSlo } from './catalogue.ts';
import { dashedLines, lines, link, stat, table, text, timeseries } from './panels.ts';
import { MAY_BE_EMPTY, PROMETHEUS, promql } from './queries.ts';

const SELECTED = 'sloth_service=~"$service", sloth_slo=~"$slo"';
const JOIN = 'on (sloth_id, sloth_service, sloth_slo) group_left';
/** The error-ratio recording of one window, as a burn rate: how many times the budget's pace. */
const burnRate = (window: string) => `slo:sli_error:ratio_rate${window}{${SELECTED}} / ${JOIN} slo:error_budget:ratio{${SELECTED}}`;

function catalogueTable(slos: readonly CatalogueSlo[]): string {
  const rows = slos.map((s) => `| ${s.service} | ${s.name} | ${s.objective} % | [${s.alert}](${s.runbookUrl}) |`);
  return ['Generated from `slo/lookout.slo.yaml`. Each alert links to its runbook.', '', '| service | SLO | objective | alert (runbook) |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function sloPanels() {
  const windows = [...new Set(BURN_WINDOWS.flatMap((w) => [w.short, w.long]))];
  return [
    stat('SLI now (5m)', 'percentunit', [promql(`1 - slo:sli_error:ratio_rate5m{${SELECTED}}`, '{{sloth_slo}}', { instant: true })], 'Share of good events over the last 5 minutes.').decimals(3).span(4),
    stat(`SLI over the window (${SLO_PERIOD})`, 'percentunit', [promql(`1 - slo:sli_error:ratio_rate${SLO_PERIOD}{${SELECTED}}`, '{{sloth_slo}}', { instant: true })], 'Share of good events over the SLO period.').decimals(3).span(4),
    stat('Objective', 'percentunit', [promql(`slo:objective:ratio{${SELECTED}}`, '{{sloth_slo}}', { instant: true })]).decimals(3).span(4),
    stat('Error budget remaining', 'percentunit', [promql(`slo:period_error_budget_remaining:ratio{${SELECTED}}`, '{{sloth_slo}}', { instant: true })], '1 - (period error ratio / budget). Below 0 the SLO is missed for the period.').thresholds(lines([0, 0.25], 'red', 'green')).span(4),
    stat('Burn rate now (5m)', 'x', [promql(`slo:current_burn_rate:ratio{${SELECTED}}`, '{{sloth_slo}}', { instant: true })], '1x spends the budget exactly over the period.').thresholds(lines([1, 6, 14.4], 'green', 'red')).span(4),
    stat('Alerts firing', 'none', [promql(`count(ALERTS{alertstate="firing", ${SELECTED}}) or vector(0)`, 'firing', { instant: true })], 'Firing burn-rate alerts of this SLO (page or ticket).').thresholds(lines([1], 'green', 'red')).span(4),
    timeseries(`Error budget burn-down (${SLO_PERIOD})`, 'percentunit', [promql(`slo:period_error_budget_remaining:ratio{${SELECTED}}`, 'budget remaining')], 'Remaining error budget over the whole SLO period: the burn-down.').timeFrom(SLO_PERIOD).thresholds(lines([0], 'red', 'transparent')).thresholdsStyle(dashedLines()).span(12),
    timeseries('Burn rate per alert window', 'x', windows.map((w, i) => promql(burnRate(w), w, { refId: String.fromCharCode(65 + i) })), `Dashed lines: the alert thresholds (${BURN_WINDOWS.map((w) => `${w.factor}x over ${w.long} and ${w.short}, ${w.severity}`).join('; ')}).`).thresholds(lines([...new Set(BURN_WINDOWS.map((w) => w.factor))].sort((a, b) => a - b), 'green', 'red')).thresholdsStyle(dashedLines()).span(12),
    table('Alerts of this SLO (pending or firing)', [promql(`ALERTS{${SELECTED}}`, '', { instant: true })], PROMETHEUS, `Click an alert for its runbook. ${MAY_BE_EMPTY}`)
      .dataLinks([link('Runbook for ${__data.fields.alertname}', 'https://github.com/lookout/lookout/blob/main/docs/runbooks/${__data.fields.alertname}.md')])
      .span(24).height(6),
  ];
}

export function sloDashboard(slos: readonly CatalogueSlo[]): Dashboard {
  const builder = lookoutDashboard({ uid: 'lookout-slo', title: 'Lookout SLOs', description: 'Per-SLO view of slo/lookout.slo.yaml, from sloth\'s recording rules.', tags: ['slo'], from: 'now-6h' })
    .withVariable(queryVariable('service', 'Service', 'label_values(sloth_slo_info, sloth_service)'))
    .withVariable(queryVariable('slo', 'SLO', 'label_values(sloth_slo_info{sloth_service=~"$service"}, sloth_slo)'))
    .withPanel(text('SLO catalogue', catalogueTable(slos)).height(4 + slos.length))
    .withRow(new RowBuilder('SLO $slo').repeat('slo'));
  for (const panel of sloPanels()) builder.withPanel(panel);
  return builder.build();
}
