// node slo/src/cli.ts generate|check — the SLO rules from slo/lookout.slo.yaml, by the pinned sloth.
import { Command } from 'commander';
import { GENERATE_COMMAND, staleRuleFiles, writeRuleFiles } from './sloth.ts';

const program = new Command()
  .name('slo')
  .description('Lookout SLO catalogue: write or verify deploy/prometheus/rules/slo-*.yml with the pinned sloth (deploy/versions.json).');

const fail = (message: string) => {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
};

program
  .command('generate')
  .description('run sloth on slo/lookout.slo.yaml and write deploy/prometheus/rules/slo-<service>.yml')
  .action(() => {
    try {
      for (const file of writeRuleFiles()) process.stdout.write(`wrote ${file}\n`);
    } catch (error) {
      fail((error as Error).message);
    }
  });

program
  .command('check')
  .description('exit non-zero when the committed rules differ from what sloth generates now')
  .action(() => {
    try {
      const problems = staleRuleFiles();
      if (problems.length === 0) process.stdout.write('deploy/prometheus/rules/slo-*.yml are up to date\n');
      else fail(`stale SLO rules:\n  - ${problems.join('\n  - ')}\nRun: ${GENERATE_COMMAND}   (then commit deploy/prometheus/rules)`);
    } catch (error) {
      fail((error as Error).message);
    }
  });

program.parse();
