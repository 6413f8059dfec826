// Public API. Importing this module does not start telemetry; load
// `@lookout/otel-bootstrap/register` with --require or --import for that.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';
import { getState } from './state.ts';

export { DROPPED_METRIC_NAME } from './health.ts';
export { SECONDS_BUCKETS } from './sdk.ts';
export type { BootstrapConfig } from './config.ts';

const DEFAULT_SCOPE = '@lookout/app';

/** A meter from the global MeterProvider (a no-op one when telemetry is off). */
export function getMeter(name: string = DEFAULT_SCOPE, version?: string): Meter {
  return metrics.getMeter(name, version);
}

/** A tracer from the global TracerProvider (a no-op one when telemetry is off). */
export function getTracer(name: string = DEFAULT_SCOPE, version?: string): Tracer {
  return trace.getTracer(name, version);
}

/**
 * Serves all metrics in Prometheus text format; node http signature, so it
 * mounts in express: app.get('/metrics', metricsHandler).
 */
export function metricsHandler(request: IncomingMessage, response: ServerResponse): void {
  const sdk = getState()?.sdk;
  if (sdk) {
    sdk.metricsHandler(request, response);
    return;
  }
  response.statusCode = 200;
  response.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
  response.end('# @lookout/otel-bootstrap is not active (not loaded, or OTEL_SDK_DISABLED=true)\n');
}

/** Exports everything pending without stopping; bounded by LOOKOUT_SHUTDOWN_TIMEOUT_MS. Never rejects. */
export function forceFlush(): Promise<void> {
  return getState()?.sdk?.forceFlush() ?? Promise.resolve();
}

/** Flushes and stops all providers; bounded by LOOKOUT_SHUTDOWN_TIMEOUT_MS. Idempotent, never rejects. */
export function shutdown(): Promise<void> {
  return getState()?.sdk?.shutdown() ?? Promise.resolve();
}

/** True when the bootstrap has started the SDK in this process. */
export function isBootstrapped(): boolean {
  return getState()?.sdk !== undefined;
}
