// ESM imports are only instrumented when import-in-the-middle's loader wraps
// them. On Node >= 24.11.1 it runs in-thread through module.registerHooks(),
// which also works when we are loaded by --require; older versions fall back
// to the off-thread module.register() loader.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, register as registerLoader } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { HOOKED_MODULES } from './instrumentations.ts';
import { errorMessage, warn } from './warn.ts';

const require = createRequire(import.meta.url);

type GlobalWithIitm = typeof globalThis & { __import_in_the_middle_initialized__?: boolean };

function nearestPackageType(directory: string): string | undefined {
  for (let depth = 0; depth < 16; depth++) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate)) {
      try {
        return (JSON.parse(readFileSync(candidate, 'utf8')) as { type?: string }).type;
      } catch {
        return undefined;
      }
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
  return undefined;
}

/**
 * Whether the entry script is an ES module. The loader hook costs start-up
 * time (acorn, cjs-module-lexer), so a CommonJS app does not pay for it.
 * Without an entry script (REPL, -e) code runs as CommonJS; the in-thread hook there breaks
 * require() of builtins (seen with `node --require ... -e "require('node:http')"`), so it stays off.
 */
export function entryIsEsm(entry: string | undefined = process.argv[1]): boolean {
  if (!entry) return false;
  const extension = extname(entry);
  if (extension === '.mjs' || extension === '.mts') return true;
  if (extension === '.cjs' || extension === '.cts') return false;
  if (extension !== '.js' && extension !== '.ts' && extension !== '') return true;
  return nearestPackageType(dirname(resolve(entry))) === 'module';
}

export function registerEsmHooks(): void {
  // Someone already registered the (async) loader, e.g. --import import-in-the-middle/hook.mjs.
  if ((globalThis as GlobalWithIitm).__import_in_the_middle_initialized__) return;
  if (!entryIsEsm()) return;
  const include = [...HOOKED_MODULES];
  try {
    const hooks = require('import-in-the-middle/register-hooks.mjs') as {
      supportsSyncHooks(): boolean;
      register(options: { include: string[] }): void;
    };
    if (hooks.supportsSyncHooks()) {
      hooks.register({ include });
      return;
    }
    registerLoader('import-in-the-middle/hook.mjs', import.meta.url, { data: { include } });
  } catch (error) {
    warn('could not register the ESM loader hook: ESM imports will not be instrumented', { error: errorMessage(error) });
  }
}
