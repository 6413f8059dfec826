// Shared by the module tests: run one module over a diff with (possibly overridden) options.
import { parseUnifiedDiff } from '../diff.ts';
import { parseReviewOptions, type ReviewOptionsInput } from '../options.ts';
import type { ModuleFinding, ReviewModule } from '../types.ts';

export async function runModuleOn(module: ReviewModule, diff: string, options: ReviewOptionsInput = {}): Promise<readonly ModuleFinding[]> {
  return module.run({ files: parseUnifiedDiff(diff), options: parseReviewOptions(options) });
}
