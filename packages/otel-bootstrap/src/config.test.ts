import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseConfig } from './config.ts';

describe('parseConfig defaults', () => {
  const { config, warnings } = parseConfig({});

  it('uses the documented defaults with no warnings', () => {
    expect(warnings).toEqual([]);
    expect(config.disabled).toBe(false);
    expect(config.logLevel).toBeUndefined();
    expect(config.serviceName).toBe('unknown_service:node');
    expect(config.deploymentEnvironment).toBe('development');
    expect(config.sampler).toEqual({ name: 'parentbased_traceidratio', ratio: 0.1, trustInboundSampling: false });
    expect(config.trustedProxies).toEqual([]);
    expect(config.disabledInstrumentations).toEqual([]);
    expect(config.tracesExporters).toEqual(['otlp']);
    expect(config.metricsExporters).toEqual(['otlp']);
    expect(config.logsExporters).toEqual(['otlp']);
    expect(config.otlp.traces).toEqual({ url: 'http://localhost:4318/v1/traces', protocol: 'http/protobuf', headers: {}, timeoutMillis: 10_000 });
    expect(config.otlp.metrics.url).toBe('http://localhost:4318/v1/metrics');
    expect(config.otlp.logs.url).toBe('http://localhost:4318/v1/logs');
    expect(config.metricExportIntervalMillis).toBe(15_000);
    expect(config.spanBatch).toEqual(DEFAULTS.spanBatch);
    expect(config.logBatch).toEqual(DEFAULTS.logBatch);
    expect(config.prometheus).toEqual({ host: 'localhost', port: 9464 });
    expect(config.shutdownTimeoutMillis).toBe(5000);
  });
});

describe('parseConfig with valid values', () => {
  it('reads every supported variable', () => {
    const { config, warnings } = parseConfig({
      OTEL_SDK_DISABLED: 'TRUE',
      OTEL_LOG_LEVEL: 'debug',
      OTEL_SERVICE_NAME: 'reviewer',
      OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=lookout,team=core%20platform',
      NODE_ENV: 'production',
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      LOOKOUT_TRUST_INBOUND_SAMPLING: 'true',
      LOOKOUT_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8',
      OTEL_TRACES_EXPORTER: 'otlp,console',
      OTEL_METRICS_EXPORTER: 'otlp, prometheus',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=a',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/custom/path',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=b',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
      OTEL_METRIC_EXPORT_INTERVAL: '15000',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '50',
      OTEL_BLRP_MAX_QUEUE_SIZE: '10',
      OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
      OTEL_EXPORTER_PROMETHEUS_PORT: '9100',
      LOOKOUT_SHUTDOWN_TIMEOUT_MS: '1500',
    });
    expect(warnings).toEqual([]);
    expect(config.disabled).toBe(true);
    expect(config.logLevel).toBe('debug');
    expect(config.serviceName).toBe('reviewer');
    expect(config.resourceAttributes).toEqual({ 'service.namespace': 'lookout', team: 'core platform' });
    expect(config.deploymentEnvironment).toBe('production');
    expect(config.sampler).toEqual({ name: 'traceidratio', ratio: 0.25, trustInboundSampling: true });
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']);
    expect(config.tracesExporters).toEqual(['otlp', 'console']);
    expect(config.metricsExporters).toEqual(['otlp', 'prometheus']);
    expect(config.logsExporters).toEqual([]);
    // A signal-specific endpoint is used as given; the generic one gets /v1/<signal>.
    expect(config.otlp.traces.url).toBe('http://jaeger:4318/custom/path');
    expect(config.otlp.metrics.url).toBe('http://collector:4318/v1/metrics');
    expect(config.otlp.traces.protocol).toBe('http/protobuf');
    expect(config.otlp.logs.protocol).toBe('http/json');
    expect(config.otlp.traces.headers).toEqual({ authorization: 'Bearer abc', 'x-tenant': 'b' });
    expect(config.otlp.metrics.headers).toEqual({ authorization: 'Bearer abc', 'x-tenant': 'a' });
    expect(config.otlp.logs.timeoutMillis).toBe(2000);
    expect(config.metricExportIntervalMillis).toBe(15_000);
    expect(config.spanBatch).toMatchObject({ scheduledDelayMillis: 100, maxQueueSize: 100, maxExportBatchSize: 50 });
    expect(config.logBatch).toMatchObject({ maxQueueSize: 10, maxExportBatchSize: 10 });
    expect(config.prometheus).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(config.shutdownTimeoutMillis).toBe(1500);
  });

  it('takes service.name and deployment.environment.name from OTEL_RESOURCE_ATTRIBUTES when not set directly', () => {
    const { config } = parseConfig({
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,deployment.environment.name=staging',
      NODE_ENV: 'production',
    });
    expect(config.serviceName).toBe('from-attrs');
    expect(config.deploymentEnvironment).toBe('staging');
  });

  it('lets OTEL_SERVICE_NAME win over the resource attribute', () => {
    expect(parseConfig({ OTEL_SERVICE_NAME: 'direct', OTEL_RESOURCE_ATTRIBUTES: 'service.name=attr' }).config.serviceName).toBe('direct');
  });
});

describe('parseConfig with bad values', () => {
  const cases: [string, Record<string, string>, (c: ReturnType<typeof parseConfig>['config']) => unknown, unknown][] = [
    ['OTEL_SDK_DISABLED', { OTEL_SDK_DISABLED: 'yes' }, (c) => c.disabled, false],
    ['OTEL_LOG_LEVEL', { OTEL_LOG_LEVEL: 'loud' }, (c) => c.logLevel, undefined],
    ['OTEL_TRACES_SAMPLER', { OTEL_TRACES_SAMPLER: 'jaeger_remote' }, (c) => c.sampler.name, 'parentbased_traceidratio'],
    ['OTEL_TRACES_SAMPLER_ARG', { OTEL_TRACES_SAMPLER_ARG: '1.5' }, (c) => c.sampler.ratio, 0.1],
    ['OTEL_TRACES_SAMPLER_ARG', { OTEL_TRACES_SAMPLER_ARG: 'half' }, (c) => c.sampler.ratio, 0.1],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, (c) => c.otlp.logs.url, 'http://localhost:4318/v1/logs'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', { OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector' }, (c) => c.otlp.traces.url, 'http://localhost:4318/v1/traces'],
    ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: '::' }, (c) => c.otlp.metrics.url, 'http://localhost:4318/v1/metrics'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', { OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' }, (c) => c.otlp.traces.protocol, 'http/protobuf'],
    ['OTEL_METRIC_EXPORT_INTERVAL', { OTEL_METRIC_EXPORT_INTERVAL: '-1' }, (c) => c.metricExportIntervalMillis, 15_000],
    ['OTEL_METRIC_EXPORT_INTERVAL', { OTEL_METRIC_EXPORT_INTERVAL: '1.5' }, (c) => c.metricExportIntervalMillis, 15_000],
    ['OTEL_BSP_SCHEDULE_DELAY', { OTEL_BSP_SCHEDULE_DELAY: 'soon' }, (c) => c.spanBatch.scheduledDelayMillis, 5000],
    ['OTEL_BSP_MAX_QUEUE_SIZE', { OTEL_BSP_MAX_QUEUE_SIZE: '0' }, (c) => c.spanBatch.maxQueueSize, 2048],
    ['OTEL_EXPORTER_PROMETHEUS_PORT', { OTEL_EXPORTER_PROMETHEUS_PORT: '70000' }, (c) => c.prometheus.port, 9464],
    ['LOOKOUT_SHUTDOWN_TIMEOUT_MS', { LOOKOUT_SHUTDOWN_TIMEOUT_MS: 'forever' }, (c) => c.shutdownTimeoutMillis, 5000],
    ['OTEL_TRACES_EXPORTER', { OTEL_TRACES_EXPORTER: 'zipkin' }, (c) => c.tracesExporters, ['otlp']],
    ['OTEL_METRICS_EXPORTER', { OTEL_METRICS_EXPORTER: 'prometheus,statsd' }, (c) => c.metricsExporters, ['prometheus']],
    ['OTEL_LOGS_EXPORTER', { OTEL_LOGS_EXPORTER: 'none,otlp' }, (c) => c.logsExporters, []],
    ['OTEL_RESOURCE_ATTRIBUTES', { OTEL_RESOURCE_ATTRIBUTES: 'good=1,broken,bad=%E0%A4%A' }, (c) => c.resourceAttributes, { good: '1' }],
    ['OTEL_NODE_DISABLED_INSTRUMENTATIONS', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'runtime-node, fs' }, (c) => c.disabledInstrumentations, ['runtime-node']],
    ['LOOKOUT_TRUST_INBOUND_SAMPLING', { LOOKOUT_TRUST_INBOUND_SAMPLING: 'yes' }, (c) => c.sampler.trustInboundSampling, false],
    ['LOOKOUT_TRUSTED_PROXIES', { LOOKOUT_TRUSTED_PROXIES: '10.0.0.1,proxy.local,10.0.0.0/33,::1/129,1.2.3.4/8/9' }, (c) => c.trustedProxies, ['10.0.0.1']],
  ];

  it.each(cases)('%s=%j gives a warning and a safe value', (variable, env, pick, expected) => {
    const { config, warnings } = parseConfig(env);
    expect(pick(config)).toEqual(expected);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.every((w) => w.variable === variable)).toBe(true);
    expect(warnings[0]?.problem).toMatch(/\S/);
  });

  it('falls back from grpc to http/protobuf with exactly one warning', () => {
    const { config, warnings } = parseConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(Object.values(config.otlp).map((s) => s.protocol)).toEqual(['http/protobuf', 'http/protobuf', 'http/protobuf']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ variable: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc', using: 'http/protobuf' });
    expect(warnings[0]?.problem).toMatch(/grpc is not shipped/);
  });

  it('never repeats header values (secrets) in warnings', () => {
    const { config, warnings } = parseConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret,s3cret-without-equals' });
    expect(config.otlp.traces.headers).toEqual({ authorization: 'Bearer s3cret' });
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('s3cret');
  });

  it('caps the export batch at the queue size', () => {
    const { config, warnings } = parseConfig({ OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '100' });
    expect(config.spanBatch.maxExportBatchSize).toBe(10);
    expect(warnings.map((w) => w.variable)).toEqual(['OTEL_BSP_MAX_EXPORT_BATCH_SIZE']);
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ OTEL_TRACES_SAMPLER: '', OTEL_SERVICE_NAME: ' ' }).warnings).toEqual([]);
  });
});

describe('the default metric export interval', () => {
  it('fits several times in the collector\'s metric_expiration, so a series never blinks between pushes', () => {
    const collector = readFileSync(new URL('../../../otel-collector/config.yaml', import.meta.url), 'utf8');
    const expiration = /metric_expiration: \$\{env:LOOKOUT_METRIC_EXPIRATION:-(\d+)s\}/.exec(collector)?.[1];
    expect(expiration, 'metric_expiration in otel-collector/config.yaml').toBeDefined();
    expect(parseConfig({}).config.metricExportIntervalMillis * 3).toBeLessThanOrEqual(Number(expiration) * 1000);
  });
});
