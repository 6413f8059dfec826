// The backlog's complaint, closed: a rule (or a runbook query) that reads a metric nobody emits
// fails the build. Offline, with Prometheus's own PromQL grammar; the end-to-end test repeats it
// against the live Prometheus (/api/v1/series).
import { describe, expect, it } from 'vitest';
import { knownMetrics, metricProblems, type Expression } from './metric-existence.ts';
import { parsePromql } from './promql.ts';
import { alertNames, loadRules, recordedNames } from './rules.ts';
import { runbookQueries } from './runbooks.ts';

const rules = loadRules();
const recorded = recordedNames(rules);
const known = knownMetrics();
const ruleExpressions: Expression[] = rules.map((r) => ({ where: `rules/${r.file}: ${r.alert ?? r.record}`, query: r.expr }));
const runbookExpressions: Expression[] = alertNames(rules).flatMap((alert) =>
  runbookQueries(alert).filter((q) => q.language === 'promql').map((q) => ({ where: `docs/runbooks/${alert}.md`, query: q.query })),
);

describe('metric existence, offline', () => {
  it('every metric a rule reads is in the inventory (as stored) or recorded here', () => {
    expect(ruleExpressions.length).toBeGreaterThan(50);
    expect(metricProblems(ruleExpressions, known, recorded)).toEqual([]);
  });

  it('every metric a runbook query reads is too', () => {
    expect(runbookExpressions.length).toBeGreaterThanOrEqual(26);
    expect(metricProblems(runbookExpressions, known, recorded)).toEqual([]);
  });

  it('fails a rule on a metric nobody emits, on the in-process name instead of the stored one, and on broken PromQL', () => {
    const problems = metricProblems(
      [
        { where: 'bad: invented', query: 'rate(lookout_reviews_failed_total[5m]) > 0' },
        { where: 'bad: /metrics name', query: 'histogram_quantile(0.99, rate(mcp_server_operation_duration_bucket[5m]))' },
        { where: 'bad: regex name', query: '{__name__=~"lookout_.*"}' },
        { where: 'bad: syntax', query: 'sum(rate(lookout_reviews_total[5m])' },
        { where: 'good', query: 'sum(rate(lookout_reviews_total[5m])) / on() group_left lookout:service_up' },
      ],
      known,
      recorded,
    );
    expect(problems).toEqual([
      'bad: invented: lookout_reviews_failed_total is neither in packages/catalog/metrics_inventory.json nor a recording rule in deploy/prometheus/rules',
      'bad: /metrics name: mcp_server_operation_duration_bucket is neither in packages/catalog/metrics_inventory.json nor a recording rule in deploy/prometheus/rules',
      'bad: regex name: {__name__=~"lookout_.*"} selects no exact metric name, so it cannot be checked',
      expect.stringMatching(/^bad: syntax: PromQL does not parse/),
    ]);
  });
});

describe('parsePromql', () => {
  it('finds names in identifiers, __name__ matchers, subqueries and recording rules', () => {
    const { selectors, errors } = parsePromql('avg_over_time((max(a_seconds{job="w"}) > bool 60)[5m:]) + {__name__="b_total"} + slo:sli_error:ratio_rate5m');
    expect(errors).toEqual([]);
    expect(selectors.map((s) => s.name)).toEqual(['a_seconds', 'b_total', 'slo:sli_error:ratio_rate5m']);
    expect(selectors[0]?.text).toBe('a_seconds{job="w"}');
  });
});
