import type { DiffFile } from './diff.ts';
import type { ReviewOptions } from './options.ts';

export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  readonly module: string;
  readonly severity: Severity;
  /** Path in the new tree; null for findings about the whole diff. */
  readonly file: string | null;
  /** New-file line number; null when the finding is not about one line. */
  readonly line: number | null;
  /** Never contains secret material (modules mask or omit line text). */
  readonly message: string;
}

/** What a module reports; the pipeline stamps `module` so it can't be misattributed. */
export type ModuleFinding = Omit<Finding, 'module'>;

export interface ReviewInput {
  readonly files: readonly DiffFile[];
  readonly options: ReviewOptions;
}

export interface ReviewModule {
  /** Module name; also its metric label (names outside the catalog count as "other"). */
  readonly name: string;
  run(input: ReviewInput): readonly ModuleFinding[] | Promise<readonly ModuleFinding[]>;
}
