import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { describe, expect, it } from 'vitest';
import { inventory } from './inventory.ts';
import { prometheusName, prometheusSeries, prometheusType, sanitizePrometheusName } from './prometheus.ts';
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
