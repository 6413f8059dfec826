// Telemetry about the telemetry: every item we lose is counted in
// `lookout.telemetry.dropped` and explained on stderr once, never per request.
import type { Attributes, Counter, Meter, MeterProvider } from '@opentelemetry/api';
import { createInstruments, inventory } from '@lookout/catalog';
import type { Signal } from './config.ts';
import { requireOtel } from './otel.ts';
import { errorMessage, warn, warnOnce, writeDiagnostic } from './warn.ts';

/** Declared in the catalog like every other instrument (name, unit, description, labels). */
export const DROPPED_METRIC_NAME = inventory.telemetryDropped.name;
export type DropReason = 'queue_full' | 'export_failed';

interface ExportResultLike {
  code: number;
  error?: Error;
}
interface ExporterLike<T> {
  export(items: T, resultCallback: (result: ExportResultLike) => void): void;
}

const SUCCESS = 0;
const FAILED = 1;

export class TelemetryHealth {
  private counter: Counter | undefined;
  private readonly failing = new Map<Signal, { since: number; dropped: number }>();

  /** Called once the MeterProvider exists; before that nothing can be dropped. */
  attach(meter: Meter): void {
    this.counter = createInstruments(meter, 'all').telemetryDropped as Counter;
    // Start every series at 0 so rate() and alerts work before the first drop.
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      for (const reason of ['queue_full', 'export_failed'] as const) this.counter.add(0, { signal, reason });
    }
  }

  recordDrop(signal: Signal, reason: DropReason, count: number): void {
    if (count <= 0) return;
    this.counter?.add(count, { signal, reason });
    if (reason === 'queue_full') {
      warnOnce(`queue_full:${signal}`, 'telemetry queue full: dropping items (counted in lookout.telemetry.dropped, warned once)', {
        signal,
        metric: DROPPED_METRIC_NAME,
      });
    }
  }

  exportFailed(signal: Signal, count: number, error: unknown): void {
    this.recordDrop(signal, 'export_failed', count);
    const outage = this.failing.get(signal);
    if (outage) {
      outage.dropped += count;
      return;
    }
    this.failing.set(signal, { since: Date.now(), dropped: count });
    warn('telemetry export failing: dropping items until the collector answers again (warned once per outage)', {
      signal,
      error: errorMessage(error),
      metric: DROPPED_METRIC_NAME,
    });
  }

  exportSucceeded(signal: Signal): void {
    const outage = this.failing.get(signal);
    if (!outage) return;
    this.failing.delete(signal);
    writeDiagnostic('info', 'telemetry export recovered', {
      signal,
      outage_ms: Date.now() - outage.since,
      dropped: outage.dropped,
    });
  }

  /**
   * Wraps exporter.export in place so failures are counted. The other methods
   * (shutdown, forceFlush, selectAggregationTemporality...) stay untouched.
   */
  watchExporter<T, E extends ExporterLike<T>>(signal: Signal, exporter: E, countItems: (items: T) => number): E {
    const original = exporter.export.bind(exporter);
    exporter.export = (items: T, resultCallback: (result: ExportResultLike) => void) => {
      const settle = (result: ExportResultLike) => {
        try {
          if (result.code === SUCCESS) this.exportSucceeded(signal);
          else this.exportFailed(signal, countItems(items), result.error ?? new Error('export failed'));
        } finally {
          resultCallback(result);
        }
      };
      try {
        original(items, settle);
      } catch (error) {
        settle({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    };
    return exporter;
  }

  /**
   * The batch processors report queue overflow only through their
   * self-observability meter (counter with error.type=queue_full). This meter
   * provider hands them a no-op meter whose counters forward exactly that.
   */
  queueOverflowMeterProvider(signal: Signal): MeterProvider {
    const { createNoopMeter } = requireOtel('@opentelemetry/api') as typeof import('@opentelemetry/api');
    const noopMeter = createNoopMeter();
    const meter = Object.create(noopMeter) as Meter;
    const noopCounter = noopMeter.createCounter('unused');
    meter.createCounter = () =>
      Object.assign(Object.create(noopCounter) as Counter, {
        add: (count: number, attributes?: Attributes) => {
          if (attributes?.['error.type'] === 'queue_full') this.recordDrop(signal, 'queue_full', count);
        },
      });
    return { getMeter: () => meter };
  }
}
