// Test helper (import from '@lookout/catalog/testing'): a private MeterProvider whose metrics
// are read on demand, so tests can assert on what was recorded without a global SDK.
// Depends on @opentelemetry/sdk-metrics, which consumers install as a devDependency.
import type { Attributes } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface RecordedPoint {
  readonly attributes: Attributes;
  /** Counter/gauge value, or for histograms the `{count, sum, buckets}` object. */
  readonly value: unknown;
}

export interface TestMeter {
  readonly provider: MeterProvider;
  readonly meter: ReturnType<MeterProvider['getMeter']>;
  /** Every metric collected right now. */
  collect(): Promise<MetricData[]>;
  /** The raw collection, e.g. for PrometheusSerializer.serialize(). */
  resourceMetrics(): Promise<ResourceMetrics>;
  /** The data points of one metric by OTel name ([] when it has none). */
  points(name: string): Promise<RecordedPoint[]>;
  shutdown(): Promise<void>;
}

export function createTestMeter(scope = '@lookout/test'): TestMeter {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader] });
  const resourceMetrics = async (): Promise<ResourceMetrics> => (await reader.collect()).resourceMetrics;
  const collect = async (): Promise<MetricData[]> =>
    (await resourceMetrics()).scopeMetrics.flatMap((scopeMetrics) => scopeMetrics.metrics);
  return {
    provider,
    meter: provider.getMeter(scope),
    collect,
    resourceMetrics,
    async points(name) {
      const metric = (await collect()).find((m) => m.descriptor.name === name);
      if (!metric) return [];
      return (metric.dataPoints as { attributes: Attributes; value: unknown }[]).map((p) => ({ attributes: p.attributes, value: p.value }));
    },
    shutdown: () => provider.shutdown(),
  };
}
