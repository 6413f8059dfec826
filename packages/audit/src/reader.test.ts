import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Every module of this package that `entry` loads, following relative imports. */
function localImports(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(new URL(entry, import.meta.url), 'utf8');
  for (const match of source.matchAll(/^(?:import|export)[^'"]*from '(\.\/[\w-]+\.ts)'/gm)) localImports(match[1]!, seen);
  return seen;
}

describe('@lookout/audit/reader', () => {
  it('loads none of the writer: spool, shipper, OTLP sender, createAudit', () => {
    const loaded = localImports('./reader.ts');
    expect(loaded).toContain('./verify.ts');
    expect(loaded).toContain('./spool-layout.ts');
    for (const writer of ['./spool.ts', './shipper.ts', './otlp.ts', './audit.ts', './streams.ts']) expect(loaded, writer).not.toContain(writer);
  });
});
