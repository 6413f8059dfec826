// npm run dashboards -w @lookout/deploy -- generate|check
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { staleDashboards, writeDashboards } from './index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const paths = { catalogue: join(root, 'slo', 'lookout.slo.yaml'), outDir: join(root, 'deploy', 'grafana', 'dashboards') };
const USAGE = `usage: npm run dashboards -w @lookout/deploy -- generate|check
  generate  write deploy/grafana/dashboards/*.json from the generators and slo/lookout.slo.yaml
  check     write nothing; exit 1 if a committed dashboard differs from what generate would write
`;
const command = (() => {
  try {
    const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
    return values.help ? 'help' : positionals[0];
  } catch (error) {
    console.error(`dashboards: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();

if (command === 'help') {
  process.stdout.write(USAGE);
} else if (command === 'generate') {
  for (const name of writeDashboards(paths)) console.log(`wrote deploy/grafana/dashboards/${name}`);
} else if (command === 'check') {
  const problems = staleDashboards(paths);
  for (const problem of problems) console.error(`deploy/grafana/dashboards/${problem}`);
  if (problems.length > 0) console.error('Run: npm run dashboards -w @lookout/deploy -- generate');
  process.exitCode = problems.length > 0 ? 1 : 0;
} else {
  console.error(`dashboards: ${command === undefined ? 'no command given' : `unknown command ${command}`}\n${USAGE}`);
  process.exitCode = 2;
}
