// npm run bench [-- --case startup --quick]: runs the benchmark cases in turn and prints,
// for each, the measured figures and the ratios against the baseline measured in the same run.
import { Command } from 'commander';
import { audit } from './cases/audit.ts';
import { collector } from './cases/collector.ts';
import { logging } from './cases/logging.ts';
import { mcp } from './cases/mcp.ts';
import { startup } from './cases/startup.ts';
import { startupStack } from './cases/startup-stack.ts';
import { formatRatio } from './stats.ts';
import type { BenchCase } from './case.ts';

const cases: BenchCase[] = [startup, logging, mcp, collector, startupStack, audit];

const program = new Command('bench')
  .description('Lookout benchmarks: ratios against a baseline measured in the same run')
  .option('-c, --case <names...>', `cases to run (${cases.map((c) => c.name).join(', ')}); default all`)
  .option('-q, --quick', 'few iterations: a smoke run, not figures to quote', false)
  .addHelpText('after', `\nCases:\n${cases.map((c) => `  ${c.name.padEnd(14)} ${c.description}`).join('\n')}`)
  .parse();

const { case: names, quick } = program.opts<{ case?: string[]; quick: boolean }>();
const unknown = (names ?? []).filter((n) => !cases.some((c) => c.name === n));
if (unknown.length > 0) program.error(`bench: unknown case ${unknown.join(', ')}; see --help`);

const progress = (line: string) => process.stderr.write(`${line}\n`);
// Every ratio that has a target, again at the end: the run's verdict in one place.
const targeted: string[] = [];
for (const benchCase of cases.filter((c) => !names || names.includes(c.name))) {
  progress(`== ${benchCase.name}: ${benchCase.description}`);
  const result = await benchCase.run({ quick, progress });
  console.log(`\n## ${benchCase.name}`);
  for (const row of result.rows) {
    console.log(`  ${row.label.padEnd(24)} ${Object.entries(row.values).map(([k, v]) => `${k}: ${v}`).join('  ')}`);
  }
  for (const ratio of result.ratios) {
    console.log(`  ratio ${ratio.name.padEnd(44)} ${formatRatio(ratio.value).padStart(6)}  target ${ratio.target}  ${ratio.met ? 'met' : 'NOT met'}`);
    if (ratio.target !== 'reported') targeted.push(`  ${ratio.met ? 'met    ' : 'NOT met'}  ${benchCase.name}: ${ratio.name} = ${ratio.value.toPrecision(3)} (target ${ratio.target})`);
  }
}
if (targeted.length > 0) console.log(`\n## Targets\n${targeted.join('\n')}`);
