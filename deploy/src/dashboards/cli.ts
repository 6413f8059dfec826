// npm run dashboards -w @lookout/deploy -- generate|check
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleDashboards, writeDashboards } from './index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const paths = { catalogue: join(root, 'slo', 'lookout.slo.yaml'), outDir: join(root, 'deploy', 'grafana', 'dashboards') };
const command = process.argv[2];

if (command === 'generate') {
  for (const name of writeDashboards(paths)) console.log(`wrote deploy/grafana/dashboards/${name}`);
} else if (command === 'check') {
  const problems = staleDashboards(paths);
  for (const problem of problems) console.error(`deploy/grafana/dashboards/${problem}`);
  if (problems.length > 0) console.error('Run: npm run dashboards -w @lookout/deploy -- generate');
  process.exitCode = problems.length > 0 ? 1 : 0;
} else {
  console.error('usage: npm run dashboards -w @lookout/deploy -- generate|check');
  process.exitCode = 2;
}
