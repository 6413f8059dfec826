// The built-in modules, keyed by the names the catalog declares for the `module` label:
// adding a name to REVIEW_MODULES in @lookout/catalog without a module here fails typecheck.
import type { REVIEW_MODULES } from '@lookout/catalog';
import type { ReviewModule } from '../types.ts';
import { debugLeftoversModule } from './debug-leftovers.ts';
import { oversizedChangeModule } from './oversized-change.ts';
import { secretsModule } from './secrets.ts';
import { todosModule } from './todos.ts';

export type BuiltInModuleName = (typeof REVIEW_MODULES)[number];

export const builtInModules: { readonly [N in BuiltInModuleName]: ReviewModule } = {
  secrets: secretsModule,
  todos: todosModule,
  oversized_change: oversizedChangeModule,
  debug_leftovers: debugLeftoversModule,
};

/** Run order of the built-in modules. */
export const defaultModules: readonly ReviewModule[] = Object.freeze(Object.values(builtInModules));
