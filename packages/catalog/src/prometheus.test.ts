import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { describe, expect, it } from 'vitest';
import { inventory } from './inventory.ts';
import { namingDivergence, prometheusName, prometheusSeries, prometheusType, sanitizePrometheusName, storedName, storedSeries } from './prometheus.ts';
import { createTestMeter } from './testing.ts';
import type { MetricSpec } from './types.ts';

describe('prometheusName', () => {
  it('turns dots into underscores and adds _total to counters only', () => {
    expect(prometheusName('lookout.reviews', 'counter')).toBe('lookout_reviews_total');
    expect(prometheusName('lookout.queue.depth', 'observable_gauge')).toBe('lookout_queue_depth');
    expect(prometheusName('lookout.in_flight', 'updowncounter')).toBe('lookout_in_flight');
    expect(prometheusName('mcp.server.operation.duration', 'histogram')).toBe('mcp_server_operation_duration');
  });

  it('adds no unit suffix (exporter-prometheus 0.301 keeps the unit in # UNIT only)', () => {
    expect(prometheusName('lookout.review.duration', 'histogram')).toBe('lookout_review_duration');
  });

  it('does not double a _total suffix', () => {
    expect(prometheusName('lookout.errors_total', 'counter')).toBe('lookout_errors_total');
  });

  it('collapses runs of invalid characters and guards a leading digit', () => {
    expect(sanitizePrometheusName('a.-b__c')).toBe('a_b_c');
    expect(prometheusName('3d.renders', 'observable_gauge')).toBe('_3d_renders');
  });

  it('applies the exporter prefix before the counter suffix', () => {
    expect(prometheusName('lookout.reviews', 'counter', { prefix: 'app' })).toBe('app_lookout_reviews_total');
  });

  it('lists bucket, count and sum series for histograms', () => {
    expect(prometheusSeries('lookout.review.duration', 'histogram')).toEqual([
      'lookout_review_duration_bucket',
      'lookout_review_duration_count',
      'lookout_review_duration_sum',
    ]);
    expect(prometheusSeries('lookout.reviews', 'counter')).toEqual(['lookout_reviews_total']);
  });
});

describe('storedName (what Prometheus stores, through the collector)', () => {
  it('adds the unit word and _total the way the collector exporter does', () => {
    expect(storedName('mcp.server.operation.duration', 'histogram', 's')).toBe('mcp_server_operation_duration_seconds');
    expect(storedName('lookout.mcp.requests', 'counter', '{request}')).toBe('lookout_mcp_requests_total');
    expect(storedName('lookout.audit.spool.usage', 'observable_gauge', 'By')).toBe('lookout_audit_spool_usage_bytes');
    expect(storedName('lookout.queue.depth', 'observable_gauge', '{job}')).toBe('lookout_queue_depth');
    expect(storedName('lookout.cache.hit_ratio', 'observable_gauge', '1')).toBe('lookout_cache_hit_ratio');
    expect(storedName('lookout.cache.fill', 'observable_gauge', '1')).toBe('lookout_cache_fill_ratio');
    expect(storedName('lookout.wait.seconds', 'histogram', 's')).toBe('lookout_wait_seconds');
    expect(storedSeries('lookout.review.duration', 'histogram', 's')).toEqual([
      'lookout_review_duration_seconds_bucket',
      'lookout_review_duration_seconds_count',
      'lookout_review_duration_seconds_sum',
    ]);
  });

  it('passes for every inventory metric: the two names differ only by suffixes', () => {
    for (const spec of Object.values(inventory) as MetricSpec[]) expect(namingDivergence(spec.name, spec.instrument, spec.unit), spec.name).toBeUndefined();
  });

  it('fails a metric whose /metrics name would not lead to its stored name', () => {
    // The in-process exporter keeps a "total" token in the middle; the collector moves it to the end.
    expect(namingDivergence('lookout.total.reviews', 'counter', '{review}')).toMatch(/stored as lookout_reviews_total but exposed on \/metrics as lookout_total_reviews_total/);
    // A trailing separator: the in-process exporter keeps an underscore, the collector drops it.
    expect(namingDivergence('lookout.wait-', 'histogram', 's')).toMatch(/stored as lookout_wait_seconds but exposed on \/metrics as lookout_wait_/);
  });
});

// The translation above is a copy of the exporter's rules; this proves the copy against the
// real serializer for every inventory metric.
describe('matches @opentelemetry/exporter-prometheus 0.301', () => {
  it('names and types every inventory metric as the exporter does', async () => {
    const test = createTestMeter();
    const meter = test.meter;
    for (const spec of Object.values(inventory) as MetricSpec[]) {
      const attributes = Object.fromEntries(Object.entries(spec.labels).map(([k, l]) => [k, l.values[0]!]));
      const options = { unit: spec.unit, description: spec.description };
      if (spec.instrument === 'counter') meter.createCounter(spec.name, options).add(1, attributes);
      if (spec.instrument === 'updowncounter') meter.createUpDownCounter(spec.name, options).add(1, attributes);
      if (spec.instrument === 'histogram') meter.createHistogram(spec.name, options).record(0.2, attributes);
      if (spec.instrument === 'observable_gauge') meter.createObservableGauge(spec.name, options).addCallback((r) => r.observe(1, attributes));
    }
    const text = new PrometheusSerializer().serialize(await test.resourceMetrics());
    const typeLines = new Map(
      [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const),
    );
    const sampleNames = new Set([...text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((m) => m[1]!));
    for (const spec of Object.values(inventory) as MetricSpec[]) {
      const name = prometheusName(spec.name, spec.instrument);
      expect(typeLines.get(name), spec.name).toBe(prometheusType(spec.instrument));
      for (const series of prometheusSeries(spec.name, spec.instrument)) expect(sampleNames, series).toContain(series);
    }
    expect(typeLines.get('target_info')).toBe('gauge');
    await test.shutdown();
  });
});
