// What Prometheus will see from the collector's prometheus exporter (production config), checked on
// the real binary: the names rules and dashboards must use, target_info, and series expiring when
// a service stops pushing (how a dead service is detected; docs/adr/0002-metrics-path.md).
import { collectorMissing, parsePrometheusText, startCollector, waitUntil, type TestCollector } from '@lookout/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsRequest, postOtlp } from './otlp.ts';

const skip = collectorMissing();

describe.skipIf(skip)('prometheus exporter (production config)', () => {
  let collector: TestCollector;
  let firstScrape = '';
  beforeAll(async () => {
    collector = await startCollector({
      config: 'production',
      // Nothing listens on port 9: logs/traces exporters just retry in the background.
      env: {
        LOOKOUT_LOGS_APP_OTLP_ENDPOINT: 'http://127.0.0.1:9/insert/opentelemetry',
        LOOKOUT_LOGS_AUDIT_OTLP_ENDPOINT: 'http://127.0.0.1:9/insert/opentelemetry',
        LOOKOUT_TRACES_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        LOOKOUT_METRIC_EXPIRATION: '3s',
      },
    });
    await postOtlp(collector.otlpHttpUrl, 'metrics', metricsRequest('reviewer', 'reviewer-1'));
    firstScrape = await waitUntil('the pushed metrics on the exporter endpoint', async () => {
      const text = await (await fetch(collector.prometheusExporterUrl)).text();
      return text.includes('lookout_reviews_total') && text;
    });
  });
  afterAll(() => collector?.stop());

  it('adds unit suffixes and _total: lookout.review.duration [s] and a monotonic sum', () => {
    const names = [...parsePrometheusText(firstScrape).keys()];
    expect(names).toEqual(expect.arrayContaining(['lookout_review_duration_seconds', 'lookout_reviews_total', 'target_info']));
    expect(firstScrape).toContain('lookout_review_duration_seconds_bucket{');
    expect(firstScrape).toContain('lookout_review_duration_seconds_count{');
    // job = service.name (no namespace is added), instance = service.instance.id.
    expect(firstScrape).toMatch(/lookout_reviews_total\{[^}]*instance="reviewer-1"[^}]*job="reviewer"[^}]*\} 7/);
  });

  it('keeps resource attributes on target_info only, not on every series', () => {
    expect(firstScrape).toMatch(/target_info\{[^}]*deployment_environment_name="development"[^}]*job="reviewer"[^}]*\} 1/);
    expect(firstScrape).not.toMatch(/lookout_reviews_total\{[^}]*deployment_environment_name/);
  });

  it('drops a silent service\'s series and its target_info after metric_expiration', async () => {
    await waitUntil('the series to expire', async () => {
      const text = await (await fetch(collector.prometheusExporterUrl)).text();
      return !text.includes('job="reviewer"') || undefined;
    }, { timeoutMs: 20_000 });
    const text = await (await fetch(collector.prometheusExporterUrl)).text();
    expect(text).not.toContain('lookout_reviews_total{');
    expect(text).not.toContain('target_info{');
  });

  it('exposes the collector\'s own otelcol_* metrics for the self-monitoring scrape', async () => {
    const text = await (await fetch(collector.metricsUrl)).text();
    for (const name of ['otelcol_receiver_accepted_metric_points', 'otelcol_exporter_queue_size', 'otelcol_exporter_queue_capacity']) {
      expect(text, name).toContain(name);
    }
  });
});
