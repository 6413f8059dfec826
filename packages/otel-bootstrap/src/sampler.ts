// The head sampler (docs/adr/0004-sampling-and-red-metrics.md). Whoever can reach a service can send
// a `traceparent`, so by default its sampled flag is not believed: a remote parent is decided by the
// root sampler like a new trace. TraceIdRatioBased is a pure function of the trace id, so every
// service of ours reaches the same verdict for a trace and sampled traces stay whole across them.
// A local parent is always followed: it is this process's own decision.
import type { Sampler } from '@opentelemetry/sdk-trace';
import type { SamplerConfig } from './config.ts';
import { requireOtel } from './otel.ts';

type SdkTrace = typeof import('@opentelemetry/sdk-trace');

function parentBased(sdk: SdkTrace, root: Sampler, trustInboundSampling: boolean): Sampler {
  if (trustInboundSampling) return new sdk.ParentBasedSampler({ root });
  return new sdk.ParentBasedSampler({ root, remoteParentSampled: root, remoteParentNotSampled: root });
}

export function createSampler({ name, ratio, trustInboundSampling }: SamplerConfig): Sampler {
  const sdk = requireOtel('@opentelemetry/sdk-trace') as SdkTrace;
  switch (name) {
    case 'always_on':
      return new sdk.AlwaysOnSampler();
    case 'always_off':
      return new sdk.AlwaysOffSampler();
    case 'traceidratio':
      return new sdk.TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return parentBased(sdk, new sdk.AlwaysOnSampler(), trustInboundSampling);
    case 'parentbased_always_off':
      return parentBased(sdk, new sdk.AlwaysOffSampler(), trustInboundSampling);
    case 'parentbased_traceidratio':
      return parentBased(sdk, new sdk.TraceIdRatioBasedSampler(ratio), trustInboundSampling);
  }
}
