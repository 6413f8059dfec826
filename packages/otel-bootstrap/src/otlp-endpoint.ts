// Where a signal's OTLP/HTTP export goes, by the OTel spec's rule. The one copy of that rule: the
// bootstrap's exporters and @lookout/audit's sender both use it. No SDK is loaded from here.

export type OtlpSignal = 'traces' | 'metrics' | 'logs';

/** The spec's default when neither variable is set. */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

/**
 * OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT exactly as given (the spec appends nothing to it); else
 * OTEL_EXPORTER_OTLP_ENDPOINT with `/v1/<signal>` appended; else the default with it appended.
 */
export function otlpSignalUrl(signal: OtlpSignal, endpoints: { specific?: string; generic?: string } = {}): string {
  const specific = endpoints.specific?.trim();
  if (specific) return specific;
  const base = endpoints.generic?.trim() || DEFAULT_OTLP_ENDPOINT;
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

/** The same, read from the environment's OTEL_EXPORTER_OTLP_* variables. */
export const otlpSignalUrlFromEnv = (signal: OtlpSignal, env: NodeJS.ProcessEnv = process.env): string =>
  otlpSignalUrl(signal, { specific: env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`], generic: env.OTEL_EXPORTER_OTLP_ENDPOINT });
