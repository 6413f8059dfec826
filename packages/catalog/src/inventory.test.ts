import { describe, expect, it } from 'vitest';
import { inventory, SECONDS_BUCKETS } from './inventory.ts';
import { FORBIDDEN_LABELS, validateInventory } from './manifest.ts';
import type { Inventory, MetricSpec } from './types.ts';

const specs = Object.entries(inventory) as [string, MetricSpec][];

describe('inventory', () => {
  it('passes every inventory rule', () => {
    expect(validateInventory(inventory)).toEqual([]);
  });

  it('gives every label a non-empty bounded value set', () => {
    for (const [key, spec] of specs) {
      for (const [label, labelSpec] of Object.entries(spec.labels)) {
        expect(Array.isArray(labelSpec.values), `${key}.${label}`).toBe(true);
        expect(labelSpec.values.length, `${key}.${label}`).toBeGreaterThan(0);
      }
    }
  });

  it('uses no forbidden label names', () => {
    const used = specs.flatMap(([, spec]) => Object.keys(spec.labels));
    for (const label of used) expect(FORBIDDEN_LABELS).not.toContain(label);
    for (const banned of ['user_id', 'request_id', 'url.path', 'path', 'diff', 'trace_id']) expect(FORBIDDEN_LABELS).toContain(banned);
  });

  it('gives histograms the seconds buckets and other instruments none', () => {
    for (const [key, spec] of specs) {
      if (spec.instrument === 'histogram') expect(spec.buckets, key).toEqual(SECONDS_BUCKETS);
      else expect(spec.buckets, key).toBeUndefined();
    }
  });

  it('declares the metrics every service relies on', () => {
    const byName = new Map(specs.map(([, s]) => [s.name, s]));
    expect(byName.get('mcp.server.operation.duration')?.service).toBe('mcp-server');
    expect(byName.get('messaging.process.duration')?.service).toBe('worker');
    expect(byName.get('lookout.telemetry.dropped')).toMatchObject({ service: 'all', createdBy: 'otel-bootstrap', unit: '{item}' });
    expect(specs.filter(([, s]) => s.service === 'audit').map(([, s]) => s.name).sort()).toEqual([
      'lookout.audit.spool.oldest_undelivered.age',
      'lookout.audit.spool.size',
      'lookout.audit.spool.usage',
    ]);
  });

  it('is frozen at run time, so it cannot grow behind the types', () => {
    expect(Object.isFrozen(inventory)).toBe(true);
    expect(Object.isFrozen(inventory.reviews.labels.outcome.values)).toBe(true);
    expect(() => {
      (inventory as unknown as Record<string, unknown>).sneaky = {};
    }).toThrow(TypeError);
  });
});

describe('validateInventory', () => {
  const good: MetricSpec = {
    name: 'lookout.things',
    instrument: 'counter',
    unit: '{thing}',
    service: 'reviewer',
    description: 'Things.',
    labels: { outcome: { values: ['ok'], description: 'x' } },
  };

  it('reports each broken rule', () => {
    const bad: Inventory = {
      a: { ...good, labels: { user_id: { values: ['x'], description: 'who' } } },
      b: { ...good, name: 'lookout.other', labels: { kind: { values: [], description: 'empty' } } },
      c: { ...good, name: 'lookout.things' },
      d: { ...good, name: 'lookout.hist', instrument: 'histogram' },
      e: { ...good, name: 'lookout.g', instrument: 'observable_gauge', buckets: [1] },
      f: { ...good, name: 'lookout.fb', labels: { k: { values: ['a'], fallback: 'zzz', description: 'x' } } },
      g: { ...good, name: 'Lookout.Bad', unit: 'seconds' },
    };
    const problems = validateInventory(bad).join('\n');
    expect(problems).toMatch(/a \(lookout.things\): label "user_id" is forbidden/);
    expect(problems).toMatch(/b \(lookout.other\): label "kind" has no bounded value set/);
    expect(problems).toMatch(/c \(lookout.things\): name also used by a/);
    expect(problems).toMatch(/d \(lookout.hist\): histogram without buckets/);
    expect(problems).toMatch(/e \(lookout.g\): buckets on a observable_gauge/);
    expect(problems).toMatch(/f \(lookout.fb\): label "k" fallback "zzz" is not among its values/);
    expect(problems).toMatch(/g \(Lookout.Bad\): name is not lower-case dotted/);
    expect(problems).toMatch(/g \(Lookout.Bad\): unit "seconds"/);
  });

  it('refuses a metric whose stored and /metrics names would diverge', () => {
    const bad: Inventory = { a: { ...good, name: 'lookout.total.things' } };
    expect(validateInventory(bad).join('\n')).toMatch(/a \(lookout.total.things\): stored as lookout_things_total but exposed on \/metrics as lookout_total_things_total/);
  });

  it('catches two OTel names that collide once translated to Prometheus', () => {
    const clash: Inventory = { a: { ...good, name: 'lookout.a_b' }, b: { ...good, name: 'lookout.a.b' } };
    expect(validateInventory(clash).join('\n')).toMatch(/lookout_a_b_total collides with a/);
  });
});
