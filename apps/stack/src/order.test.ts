import { describe, expect, it } from 'vitest';
import { components, type Component } from './components.ts';
import { startOrder } from './order.ts';

const stub = (name: string, dependsOn: string[] = []): Component => ({
  name, dependsOn, defaultPort: 1, start: () => ({ command: 'true', args: [] }), ready: { outputIncludes: '' }, links: () => ({}),
});

describe('startOrder', () => {
  it('starts dependencies first and pulls them in when only a dependant is selected', () => {
    expect(startOrder(components, ['mcp-server']).map((c) => c.name)).toEqual(['redis', 'reviewer', 'mcp-server']);
  });

  it('orders the whole stack with every dependency before its dependant', () => {
    const names = startOrder(components).map((c) => c.name);
    for (const component of components) {
      for (const dep of component.dependsOn) expect(names.indexOf(dep)).toBeLessThan(names.indexOf(component.name));
    }
  });

  it('names an unknown component and a cycle', () => {
    expect(() => startOrder(components, ['grafana'])).toThrow(/unknown component "grafana"/);
    expect(() => startOrder([stub('a', ['b']), stub('b', ['a'])])).toThrow(/cycle: a -> b -> a/);
  });
});
