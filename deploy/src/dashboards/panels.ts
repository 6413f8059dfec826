// Small constructors over the foundation SDK's panel builders, so each dashboard file reads as a
// list of panels. Each sets its size (w, h); the SDK's DashboardBuilder places them left to right.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { DashboardLinkBuilder, ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TextPanel } from '@grafana/grafana-foundation-sdk/text';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as LogsPanel } from '@grafana/grafana-foundation-sdk/logs';
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode, LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { PROMETHEUS, LOGS, JAEGER } from './queries.ts';

type Targets = cog.Builder<cog.Dataquery>[];
const LEGEND = new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom);

export function timeseries(title: string, unit: string, targets: Targets, description = ''): TimeseriesPanel {
  return new TimeseriesPanel().title(title).description(description).datasource(PROMETHEUS).unit(unit).targets(targets).legend(LEGEND).gridPos({ x: 0, y: 0, w: 12, h: 8 });
}

export function stat(title: string, unit: string, targets: Targets, description = ''): StatPanel {
  return new StatPanel().title(title).description(description).datasource(PROMETHEUS).unit(unit).targets(targets).gridPos({ x: 0, y: 0, w: 6, h: 5 });
}

export function table(title: string, targets: Targets, datasource: { type: string; uid: string } = PROMETHEUS, description = ''): TablePanel {
  return new TablePanel().title(title).description(description).datasource(datasource).targets(targets).gridPos({ x: 0, y: 0, w: 12, h: 8 });
}

export function logs(title: string, targets: Targets, description = ''): LogsPanel {
  return new LogsPanel().title(title).description(description).datasource(LOGS).targets(targets).showTime(true).enableLogDetails(true).gridPos({ x: 0, y: 0, w: 24, h: 10 });
}

export function traces(title: string, targets: Targets, description = ''): TablePanel {
  return table(title, targets, JAEGER, description);
}

export function text(title: string, markdown: string): TextPanel {
  return new TextPanel().title(title).content(markdown).gridPos({ x: 0, y: 0, w: 24, h: 6 });
}

/** Threshold steps drawn as dashed lines (burn-rate factors, objectives). */
export function lines(values: readonly number[], base = 'green', over = 'red'): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([{ value: null, color: base }, ...values.map((value) => ({ value, color: over }))]);
}
/** Draws a timeseries panel's thresholds as dashed lines. */
export const dashedLines = () => new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed);

export function link(title: string, url: string): DashboardLinkBuilder {
  return new DashboardLinkBuilder(title).url(url).targetBlank(true);
}
