import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheus-text.ts';

const scrape = `# HELP lookout_reviews_total Reviews by outcome.
# UNIT lookout_reviews_total {review}
# TYPE lookout_reviews_total counter
lookout_reviews_total{outcome="success",otel_scope_name="x"} 3
# HELP lookout_review_duration Duration.
# UNIT lookout_review_duration s
# TYPE lookout_review_duration histogram
lookout_review_duration_count{outcome="success"} 3
lookout_review_duration_sum{outcome="success"} 0.5
lookout_review_duration_bucket{outcome="success",le="0.005"} 1
lookout_review_duration_bucket{outcome="success",le="+Inf"} 3
target_info{service_name="reviewer",note="a \\"quoted\\" value"} 1
`;

describe('parsePrometheusText', () => {
  it('groups samples under their family with type and unit', () => {
    const families = parsePrometheusText(scrape);
    expect(families.get('lookout_reviews_total')).toMatchObject({ type: 'counter', unit: '{review}', samples: [{ labels: { outcome: 'success' }, value: 3 }] });
    const histogram = families.get('lookout_review_duration');
    expect(histogram?.type).toBe('histogram');
    expect(histogram?.unit).toBe('s');
    expect(histogram?.samples.map((s) => s.name)).toEqual([
      'lookout_review_duration_count', 'lookout_review_duration_sum', 'lookout_review_duration_bucket', 'lookout_review_duration_bucket',
    ]);
    expect(families.has('lookout_review_duration_bucket')).toBe(false);
  });

  it('unescapes label values and keeps untyped families', () => {
    expect(parsePrometheusText(scrape).get('target_info')?.samples[0]?.labels.note).toBe('a "quoted" value');
  });
});
