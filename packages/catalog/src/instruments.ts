// The only way to create Lookout instruments: by owner, from the inventory. There is no
// function taking an arbitrary spec, so a metric missing from the inventory can't be made here.
import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import { compileGuard, DROP, type Guard, type ViolationSink } from './guard.ts';
import { inventory, type LookoutInventory } from './inventory.ts';
import type { InstrumentsOf, MetricSpec, Owner } from './types.ts';

export interface CreateInstrumentsOptions {
  /**
   * Called for every attribute violation (see guard.ts for the rules). Default: none; the
   * first occurrence of each problem is already warned about through OTel's diag logger.
   */
  readonly onViolation?: ViolationSink;
}

/** The typed instruments of one owner, e.g. `InstrumentsFor<'reviewer'>`. */
export type InstrumentsFor<S extends Owner> = InstrumentsOf<LookoutInventory, S>;

type Measure = (value: number, attributes?: Attributes) => void;

function guarded(measure: Measure, guard: Guard): Measure {
  return (value, attributes) => {
    const checked = guard(attributes);
    if (checked !== DROP) measure(value, checked);
  };
}

function createInstrument(meter: Meter, spec: MetricSpec, guard: Guard): object {
  const options = { description: spec.description, unit: spec.unit };
  switch (spec.instrument) {
    case 'counter': {
      const counter = meter.createCounter(spec.name, options);
      return { add: guarded((v, a) => counter.add(v, a), guard) };
    }
    case 'updowncounter': {
      const counter = meter.createUpDownCounter(spec.name, options);
      return { add: guarded((v, a) => counter.add(v, a), guard) };
    }
    case 'histogram': {
      const histogram = meter.createHistogram(spec.name, {
        ...options,
        advice: { explicitBucketBoundaries: [...(spec.buckets ?? [])] },
      });
      return { record: guarded((v, a) => histogram.record(v, a), guard) };
    }
    case 'observable_gauge': {
      const gauge = meter.createObservableGauge(spec.name, options);
      return {
        addCallback(callback: (observer: { observe: Measure }) => void | Promise<void>): () => void {
          const wrapped = (result: ObservableResult) =>
            callback({ observe: guarded((v, a) => result.observe(v, a), guard) });
          gauge.addCallback(wrapped);
          return () => gauge.removeCallback(wrapped);
        },
      };
    }
  }
}

/**
 * Creates the instruments an owner declares in the inventory, and nothing else.
 *
 *   const m = createInstruments(metrics.getMeter('@lookout/reviewer'), 'reviewer');
 *   m.reviews.add(1, { outcome: 'success' });
 */
export function createInstruments<S extends Owner>(
  meter: Meter,
  owner: S,
  options: CreateInstrumentsOptions = {},
): InstrumentsFor<S> {
  const warned = new Set<string>();
  const instruments: Record<string, object> = {};
  for (const [key, spec] of Object.entries(inventory) as [string, MetricSpec][]) {
    if (spec.service !== owner) continue;
    instruments[key] = Object.freeze(createInstrument(meter, spec, compileGuard(spec, warned, options.onViolation)));
  }
  return Object.freeze(instruments) as InstrumentsFor<S>;
}
