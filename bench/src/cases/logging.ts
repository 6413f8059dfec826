// getLogger (context, masking, the OTel bridge) against plain pino, same sink, one run each in turn.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from '../stats.ts';
import type { BenchCase, BenchOptions } from '../case.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../fixtures/log-throughput.ts', import.meta.url));
type Variant = 'plain' | 'lookout' | 'lookout-no-bridge';
const VARIANTS: Variant[] = ['plain', 'lookout', 'lookout-no-bridge'];
const LABELS: Record<Variant, string> = { plain: 'plain pino', lookout: 'getLogger + OTel bridge', 'lookout-no-bridge': 'getLogger, no bridge' };

async function linesPerSecond(variant: Variant, lines: number): Promise<number> {
  const { stdout } = await run(process.execPath, [script, variant, String(lines)], { env: { ...process.env, OTEL_SERVICE_NAME: 'bench' } });
  return (JSON.parse(stdout) as { linesPerSecond: number }).linesPerSecond;
}

export const logging: BenchCase = {
  name: 'logging',
  description: 'lines/s: @lookout/logger (context + masking, with and without the OTel bridge) vs plain pino, same no-op sink',
  async run({ quick, progress }: BenchOptions) {
    const rounds = quick ? 2 : 7;
    const lines = quick ? 50_000 : 300_000;
    const samples: Record<Variant, number[]> = { plain: [], lookout: [], 'lookout-no-bridge': [] };
    for (let round = 0; round < rounds; round++) {
      for (const variant of VARIANTS) samples[variant].push(await linesPerSecond(variant, lines));
      progress(`logging: round ${round + 1}/${rounds}`);
    }
    const ratio = median(samples.lookout) / median(samples.plain);
    const withoutBridge = median(samples['lookout-no-bridge']) / median(samples.plain);
    return {
      rows: VARIANTS.map((v) => ({
        label: LABELS[v],
        values: { 'lines/s (median)': Math.round(median(samples[v])) },
      })),
      ratios: [
        { name: 'throughput, getLogger + bridge / plain pino', value: ratio, target: '>= 0.50', met: ratio >= 0.5 },
        { name: 'throughput, getLogger without bridge / plain pino', value: withoutBridge, target: 'reported', met: true },
      ],
    };
  },
};
