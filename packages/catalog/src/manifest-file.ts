// Reading and writing the committed metrics_inventory.json. Kept apart from cli.ts so tests
// can call it without spawning a process.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inventory } from './inventory.ts';
import { MANIFEST_FILE, renderManifest, validateInventory } from './manifest.ts';

/** packages/catalog/metrics_inventory.json, wherever the command is run from. */
export const DEFAULT_MANIFEST_PATH = fileURLToPath(new URL(`../${MANIFEST_FILE}`, import.meta.url));

export interface ManifestResult {
  readonly ok: boolean;
  readonly message: string;
}

function invalid(): ManifestResult | undefined {
  const problems = validateInventory(inventory);
  if (problems.length === 0) return undefined;
  return { ok: false, message: `src/inventory.ts is invalid:\n  - ${problems.join('\n  - ')}` };
}

export function generateManifest(path: string = DEFAULT_MANIFEST_PATH): ManifestResult {
  const problem = invalid();
  if (problem) return problem;
  writeFileSync(path, renderManifest());
  return { ok: true, message: `wrote ${path} (${Object.keys(inventory).length} metrics)` };
}

function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const have = actual.split('\n');
  for (let i = 0; i < Math.max(want.length, have.length); i++) {
    if (want[i] !== have[i]) {
      return `first difference at line ${i + 1}:\n    expected: ${want[i] ?? '<end of file>'}\n    committed: ${have[i] ?? '<end of file>'}`;
    }
  }
  return 'files differ';
}

export function checkManifest(path: string = DEFAULT_MANIFEST_PATH): ManifestResult {
  const problem = invalid();
  if (problem) return problem;
  const expected = renderManifest();
  let actual: string;
  try {
    actual = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, message: `${path} is missing. Run: npm run generate -w @lookout/catalog` };
  }
  if (actual === expected) return { ok: true, message: `${path} is up to date` };
  return {
    ok: false,
    message:
      `${path} is stale: it does not match src/inventory.ts.\n  ${firstDifference(expected, actual)}\n` +
      'Run: npm run generate -w @lookout/catalog   (then commit metrics_inventory.json)',
  };
}
