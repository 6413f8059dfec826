export interface BenchOptions {
  /** Fewer iterations: for a smoke run, not for figures worth quoting. */
  quick: boolean;
  /** Progress lines go here (stderr), results go to stdout. */
  progress: (line: string) => void;
}

export interface BenchRow {
  label: string;
  values: Record<string, string | number>;
}

export interface BenchResult {
  rows: BenchRow[];
  /** Ratios against the baseline measured in the same run, with the target each aims at. */
  ratios: { name: string; value: number; target: string; met: boolean }[];
}

export interface BenchCase {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchResult>;
}
