import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpolate, labelValuesQuery, loadDashboards, panelQueries, type DashboardFile } from './dashboard-queries.test-support.ts';
import { REPO_ROOT } from './testing.ts';

describe('dashboard queries as Grafana would run them (for the live check)', () => {
  it('substitutes variables: one value as is, several as a regex alternation of escaped values, $__rate_interval', () => {
    const values = { service: ['worker'], slo: ['job-success', 'a.b'] };
    expect(interpolate('rate(x{job=~"$service"}[$__rate_interval])', values, '1m')).toBe('rate(x{job=~"worker"}[1m])');
    expect(interpolate('y{slo=~"${slo}"} ${slo:regex}', values, '1m')).toBe('y{slo=~"(job-success|a\\\\.b)"} (job-success|a\\\\.b)');
    expect(interpolate('${__field.labels.job} $unknown', values, '1m')).toBe('${__field.labels.job} $unknown');
  });

  it('reads label_values() variable queries', () => {
    expect(labelValuesQuery('label_values(target_info{deployment_environment_name=~"$environment"}, job)')).toEqual({ match: 'target_info{deployment_environment_name=~"$environment"}', label: 'job' });
    expect(() => labelValuesQuery('query_result(up)')).toThrow(/label_values/);
  });

  it('expands the panels under a repeated row once per value, and knows which may be empty', () => {
    const dashboard: DashboardFile = {
      uid: 'd',
      templating: { list: [] },
      panels: [
        { id: 1, type: 'timeseries', title: 'all', targets: [{ refId: 'A', datasource: { type: 'prometheus', uid: 'prometheus' }, expr: 'up{job=~"$service"}' }] },
        { id: 2, type: 'row', title: 'per $service', repeat: 'service' },
        { id: 3, type: 'logs', title: 'errors', description: 'Empty on a healthy stack.', targets: [{ refId: 'A', datasource: { type: 'victoriametrics-logs-datasource', uid: 'logs-app' }, expr: 'service.name:="$service"' }] },
        { id: 4, type: 'table', title: 'traces', targets: [{ refId: 'A', datasource: { type: 'jaeger', uid: 'jaeger' }, service: '$service' }] },
      ],
    };
    const queries = panelQueries(dashboard, { service: ['a', 'b'] }, '1m');
    expect(queries.map((q) => [q.kind, q.query, q.mayBeEmpty])).toEqual([
      ['promql', 'up{job=~"(a|b)"}', false],
      ['logsql', 'service.name:="a"', true],
      ['logsql', 'service.name:="b"', true],
      ['jaeger', 'a', false],
      ['jaeger', 'b', false],
    ]);
  });

  it('finds the committed dashboards', () => {
    expect(loadDashboards(join(REPO_ROOT, 'deploy', 'grafana', 'dashboards')).map((d) => d.uid)).toEqual(['lookout-pipeline', 'lookout-services', 'lookout-slo']);
  });
});
