// Where the catalogue, its outputs and the pinned tools live, wherever a command runs from.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SLO_SPEC = join(REPO_ROOT, 'slo', 'lookout.slo.yaml');
export const PENDING_DIR = join(REPO_ROOT, 'slo', 'pending');
/** Sloth AlertWindows for the end-to-end test's compressed 10-minute period (never production). */
export const TEST_WINDOWS_DIR = join(REPO_ROOT, 'slo', 'windows', 'test');
export const RULES_DIR = join(REPO_ROOT, 'deploy', 'prometheus', 'rules');
export const PROMETHEUS_TESTS_DIR = join(REPO_ROOT, 'deploy', 'prometheus', 'tests');
export const ALERTMANAGER_DIR = join(REPO_ROOT, 'deploy', 'alertmanager');
export const RUNBOOKS_DIR = join(REPO_ROOT, 'docs', 'runbooks');
export const INVENTORY_FILE = join(REPO_ROOT, 'packages', 'catalog', 'metrics_inventory.json');
/** Where every runbook_url points; docs/runbooks/<alertname>.md in the repository. */
export const RUNBOOK_BASE_URL = 'https://github.com/lookout/lookout/blob/main/docs/runbooks/';

export interface Tool {
  command: string;
  /** The pinned binary's path in the cache (printed even when missing, so errors can name it). */
  path: string;
  present: boolean;
  /** The scripts/backends/build.sh component that builds it. */
  component: string;
}

const COMPONENT: Record<string, string> = { sloth: 'sloth', promtool: 'prometheus', amtool: 'alertmanager', alertmanager: 'alertmanager', prometheus: 'prometheus' };

/** A pinned backend tool, located by scripts/backends/paths.sh (deploy/versions.json decides the version). */
export function tool(command: string): Tool {
  const result = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'backends', 'paths.sh'), command], { encoding: 'utf8' });
  if (result.status === 2) throw new Error(`scripts/backends/paths.sh does not know "${command}" (deploy/versions.json)`);
  return { command, path: result.stdout.trim(), present: result.status === 0, component: COMPONENT[command] ?? command };
}

/** The build command that makes a missing tool, for error messages. */
export const buildHint = (t: Tool) => `build it with \`bash scripts/backends/build.sh ${t.component}\` (looked for ${t.path})`;
