// What Prometheus 3 fills in when prometheus.yml leaves a field out (as /api/v1/status/config shows
// it), so the drift check can drop it on both sides. Checked against the pinned binary by
// drift.integration.test.ts: the committed config, loaded, compares in sync.
import { ANY, type NormaliseRules, type Tree } from './normalise.ts';

type Field = [key: string, value: Tree];

const HTTP_CLIENT: Field[] = [
  ['follow_redirects', true],
  ['enable_http2', true],
];

const SCRAPE: Field[] = [
  ['honor_labels', false],
  ['honor_timestamps', true],
  ['track_timestamps_staleness', false],
  ['scrape_protocols', ['OpenMetricsText1.0.0', 'OpenMetricsText0.0.1', 'PrometheusText1.0.0', 'PrometheusText0.0.4']],
  ['scrape_native_histograms', false],
  ['always_scrape_classic_histograms', false],
  ['convert_classic_histograms_to_nhcb', false],
  ['metrics_path', '/metrics'],
  ['scheme', 'http'],
  ['enable_compression', true],
  ['metric_name_validation_scheme', 'utf8'],
  ['metric_name_escaping_scheme', 'allow-utf-8'],
  ['extra_scrape_metrics', false],
  ...HTTP_CLIENT,
];

const RELABEL: Field[] = [
  ['separator', ';'],
  ['replacement', '$1'],
  ['action', 'replace'],
  ['regex', '(.*)'],
];

export const PROMETHEUS_RULES: NormaliseRules = {
  defaults: [
    ['global.scrape_interval', '1m'],
    ['global.evaluation_interval', '1m'],
    ['global.scrape_timeout', '10s'],
    ['global.metric_name_validation_scheme', 'utf8'],
    ['global.scrape_native_histograms', false],
    ['global.extra_scrape_metrics', false],
    // From the command line (--storage.tsdb.*) and the Go runtime, not from the file.
    ['runtime', ANY],
    ['storage', ANY],
    ['otlp.translation_strategy', 'UnderscoreEscapingWithSuffixes'],
    ['otlp.label_name_underscore_sanitization', true],
    ['otlp.label_name_preserve_multiple_underscores', true],
    ...SCRAPE.map(([key, value]) => [`scrape_configs.*.${key}`, value] as Field),
    ...HTTP_CLIENT.map(([key, value]) => [`alerting.alertmanagers.*.${key}`, value] as Field),
    ['alerting.alertmanagers.*.scheme', 'http'],
    ['alerting.alertmanagers.*.timeout', '10s'],
    ['alerting.alertmanagers.*.api_version', 'v2'],
    ...RELABEL.map(([key, value]) => [`**.relabel_configs.*.${key}`, value] as Field),
    ...RELABEL.map(([key, value]) => [`**.metric_relabel_configs.*.${key}`, value] as Field),
  ],
  keyedLists: { scrape_configs: 'job_name' },
  setLists: ['targets', 'rule_files'],
  mountPaths: { rule_files: 2 },
};
