// The real `docker compose config`, where a Compose implementation is installed: the plugin
// (`docker compose`) or the standalone `docker-compose`. Neither is on every machine (this
// workplace has the docker CLI without the plugin), so callers fall back to checkCompose.
import { spawnSync } from 'node:child_process';

export interface ComposeCli {
  command: string;
  args: string[];
}

const answers = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;

/** The Compose command line that answers `version`, or undefined when none does. */
export function findComposeCli(): ComposeCli | undefined {
  if (answers('docker', ['compose', 'version'])) return { command: 'docker', args: ['compose'] };
  if (answers('docker-compose', ['version'])) return { command: 'docker-compose', args: [] };
  return undefined;
}

/** Runs `config --quiet` on a compose file: exit 0 when Compose accepts it, else its message. */
export function composeConfig(cli: ComposeCli, file: string): { ok: boolean; message: string } {
  const run = spawnSync(cli.command, [...cli.args, '-f', file, 'config', '--quiet'], { encoding: 'utf8', timeout: 60_000 });
  return { ok: run.status === 0, message: `${run.stderr ?? ''}${run.stdout ?? ''}`.trim() };
}
