// node packages/catalog/src/cli.ts generate|check [--file <path>]
import { Command } from 'commander';
import { checkManifest, DEFAULT_MANIFEST_PATH, generateManifest, type ManifestResult } from './manifest-file.ts';

function finish(result: ManifestResult): void {
  (result.ok ? process.stdout : process.stderr).write(`${result.message}\n`);
  if (!result.ok) process.exitCode = 1;
}

const program = new Command()
  .name('catalog')
  .description('Lookout metric inventory: write or verify metrics_inventory.json from src/inventory.ts.');

program
  .command('generate')
  .description('write metrics_inventory.json from the inventory')
  .option('--file <path>', 'output file', DEFAULT_MANIFEST_PATH)
  .action((options: { file: string }) => finish(generateManifest(options.file)));

program
  .command('check')
  .description('exit non-zero when metrics_inventory.json is missing or stale')
  .option('--file <path>', 'file to verify', DEFAULT_MANIFEST_PATH)
  .action((options: { file: string }) => finish(checkManifest(options.file)));

program.parse();
