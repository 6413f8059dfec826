// The shape of an inventory entry, and the types that turn an entry into a
// strongly typed instrument. Everything here is erased at run time.

/** OTel instrument kinds the catalog can create. `observable_gauge` is read through callbacks. */
export type InstrumentKind = 'counter' | 'updowncounter' | 'histogram' | 'observable_gauge';

/** Who creates the instruments of a metric. `all` metrics are created once per process by @lookout/otel-bootstrap. */
export type Owner = 'mcp-server' | 'reviewer' | 'worker' | 'audit' | 'canary' | 'all';

export interface LabelSpec {
  /** Every value this label may take. Bounded on purpose: each value is one more time series. */
  readonly values: readonly string[];
  /** Optional labels may be left out (OTel semconv "conditionally required", e.g. error.type on success). */
  readonly optional?: boolean;
  /**
   * Value that replaces an undeclared one at run time. Defaults to 'other' when 'other' is among
   * the values; without a fallback an undeclared value drops the measurement.
   */
  readonly fallback?: string;
  readonly description: string;
}

export interface MetricSpec {
  /** OTel instrument name (dots, lower case). */
  readonly name: string;
  readonly instrument: InstrumentKind;
  /** UCUM unit: s, By, 1, or a {curly} annotation. */
  readonly unit: string;
  readonly service: Owner;
  /** Component that creates the instrument when it is not the owning service itself. */
  readonly createdBy?: string;
  readonly description: string;
  readonly labels: { readonly [label: string]: LabelSpec };
  /** Histogram bucket boundaries, passed as `advice.explicitBucketBoundaries`. Histograms only. */
  readonly buckets?: readonly number[];
}

export type Inventory = { readonly [key: string]: MetricSpec };

type Labels<M extends MetricSpec> = M['labels'];
type ValueOf<L extends LabelSpec> = L['values'][number];
type RequiredLabel<Ls> = { [K in keyof Ls]: Ls[K] extends { readonly optional: true } ? never : K }[keyof Ls];
type OptionalLabel<Ls> = Exclude<keyof Ls, RequiredLabel<Ls>>;

/** Attributes accepted by a metric: declared label names only, each with its declared values only. */
export type AttributesOf<M extends MetricSpec> = {
  readonly [K in RequiredLabel<Labels<M>> & string]: ValueOf<Labels<M>[K]>;
} & {
  readonly [K in OptionalLabel<Labels<M>> & string]?: ValueOf<Labels<M>[K]>;
};

/** A metric without labels takes no attributes argument. */
export type AttributeArgs<M extends MetricSpec> = keyof Labels<M> extends never
  ? []
  : RequiredLabel<Labels<M>> extends never
    ? [attributes?: AttributesOf<M>]
    : [attributes: AttributesOf<M>];

export interface CatalogCounter<M extends MetricSpec> {
  add(value: number, ...attributes: AttributeArgs<M>): void;
}

export interface CatalogUpDownCounter<M extends MetricSpec> {
  add(value: number, ...attributes: AttributeArgs<M>): void;
}

export interface CatalogHistogram<M extends MetricSpec> {
  record(value: number, ...attributes: AttributeArgs<M>): void;
}

export interface GaugeObserver<M extends MetricSpec> {
  observe(value: number, ...attributes: AttributeArgs<M>): void;
}

export type GaugeCallback<M extends MetricSpec> = (observer: GaugeObserver<M>) => void | Promise<void>;

export interface CatalogObservableGauge<M extends MetricSpec> {
  /** Registers a callback run at each collection; returns a function that unregisters it. */
  addCallback(callback: GaugeCallback<M>): () => void;
}

export type InstrumentOf<M extends MetricSpec> = M['instrument'] extends 'counter'
  ? CatalogCounter<M>
  : M['instrument'] extends 'updowncounter'
    ? CatalogUpDownCounter<M>
    : M['instrument'] extends 'histogram'
      ? CatalogHistogram<M>
      : CatalogObservableGauge<M>;

export type KeysOwnedBy<I extends Inventory, S extends Owner> = {
  [K in keyof I]: I[K]['service'] extends S ? K : never;
}[keyof I];

/** The instruments of one owner, keyed like the inventory. */
export type InstrumentsOf<I extends Inventory, S extends Owner> = {
  readonly [K in KeysOwnedBy<I, S>]: InstrumentOf<I[K]>;
};

/** What went wrong with a measurement's attributes. Never carries the offending value (it may be sensitive). */
export interface AttributeViolation {
  readonly metric: string;
  readonly label: string;
  readonly problem: 'unknown_label' | 'undeclared_value' | 'missing_label';
  /** replaced: the fallback value was used; dropped: the measurement was not recorded; stripped: the label was removed. */
  readonly action: 'replaced' | 'dropped' | 'stripped';
  /** True the first time this metric/label/problem is seen by this instrument set (a warning is logged then). */
  readonly first: boolean;
}
