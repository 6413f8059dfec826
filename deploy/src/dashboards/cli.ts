// npm run dashboards -w @lookout/deploy -- generate|check
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { staleDashboards, writeDashboards } from './index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const paths = { catalogue: join(root, 'slo', 'lookout.slo.yaml'), outDir: join(root, 'deploy', 'grafana', 'dashboards') };

const program = new Command()
  .name('dashboards')
  .description('Lookout Grafana dashboards: write or verify deploy/grafana/dashboards/*.json from the generators and slo/lookout.slo.yaml.');

program
  .command('generate')
  .description('write deploy/grafana/dashboards/*.json')
  .action(() => {
    for (const name of writeDashboards(paths)) console.log(`wrote deploy/grafana/dashboards/${name}`);
  });

program
  .command('check')
  .description('write nothing; exit 1 if a committed dashboard differs from what generate would write')
  .action(() => {
    const problems = staleDashboards(paths);
    for (const problem of problems) console.error(`deploy/grafana/dashboards/${problem}`);
    if (problems.length > 0) console.error('Run: npm run dashboards -w @lookout/deploy -- generate');
    process.exitCode = problems.length > 0 ? 1 : 0;
  });

program.parse();
