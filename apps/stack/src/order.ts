import type { Component } from './components.ts';

/**
 * The selected components and everything they depend on, in start order (dependencies first).
 * Throws on an unknown name or a cycle, naming it.
 */
export function startOrder(all: readonly Component[], selected?: readonly string[]): Component[] {
  const byName = new Map(all.map((c) => [c.name, c]));
  const ordered: Component[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    const component = byName.get(name);
    if (!component) throw new Error(`unknown component "${name}"; known: ${[...byName.keys()].join(', ')}`);
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`dependency cycle: ${[...path, name].join(' -> ')}`);
    state.set(name, 'visiting');
    for (const dep of component.dependsOn) visit(dep, [...path, name]);
    state.set(name, 'done');
    ordered.push(component);
  };
  for (const name of selected ?? all.map((c) => c.name)) visit(name, []);
  return ordered;
}
