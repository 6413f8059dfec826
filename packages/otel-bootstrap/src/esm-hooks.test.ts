import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entryIsEsm } from './esm-hooks.ts';

const fixtures = fileURLToPath(new URL('./testing/fixtures/', import.meta.url));

describe('entryIsEsm', () => {
  it('decides by extension first', () => {
    expect(entryIsEsm('/srv/app.mjs')).toBe(true);
    expect(entryIsEsm('/srv/app.mts')).toBe(true);
    expect(entryIsEsm('/srv/app.cjs')).toBe(false);
    expect(entryIsEsm('/srv/app.cts')).toBe(false);
  });

  it('reads "type" from the nearest package.json for .js and .ts entries', () => {
    // This package is "type": "module".
    expect(entryIsEsm(`${fixtures}server.ts`)).toBe(true);
    expect(entryIsEsm(`${fixtures}server.js`)).toBe(true);
    // No package.json up from / says module.
    expect(entryIsEsm('/nonexistent-root-dir/app.js')).toBe(false);
  });

  it('leaves the hook off when there is no entry script (REPL, -e), where code is CommonJS', () => {
    expect(entryIsEsm('')).toBe(false);
  });
});
