import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { exitCodeOf, formatDriftReport, REPO_ROOT, runDriftCheck } from '@lookout/deploy-config';
import { UsageError } from '../errors.ts';
import type { Session } from '../session.ts';

type Run = (action: (session: Session) => Promise<void>) => () => Promise<void>;

interface DriftOptions {
  prometheusUrl: string;
  alertmanagerUrl: string;
  grafanaUrl?: string;
  grafanaTokenFile?: string;
  /** false with --no-data-dir. */
  dataDir?: string | false;
  repo: string;
  format: 'text' | 'json';
  timeoutMs: number;
}

function parseHttpUrl(value: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(value)) throw new InvalidArgumentError('must be an http:// or https:// URL, e.g. http://127.0.0.1:9090');
  return value;
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 100 || ms > 120_000) throw new InvalidArgumentError('must be milliseconds between 100 and 120000');
  return ms;
}

/**
 * Grafana's token: from --grafana-token-file, else LOOKOUT_GRAFANA_TOKEN (never from argv, where
 * `ps` and shell history would show it), with where it came from for the refusal message.
 */
function grafanaToken(options: DriftOptions, env: NodeJS.ProcessEnv): { grafanaToken?: string; grafanaTokenSource: string } {
  if (options.grafanaTokenFile) {
    let text: string;
    try {
      text = readFileSync(options.grafanaTokenFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--grafana-token-file ${options.grafanaTokenFile} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a file holding the token`);
    }
    return { grafanaToken: text.trim(), grafanaTokenSource: `--grafana-token-file ${options.grafanaTokenFile}` };
  }
  return { grafanaToken: env.LOOKOUT_GRAFANA_TOKEN?.trim() || undefined, grafanaTokenSource: 'LOOKOUT_GRAFANA_TOKEN (or --grafana-token-file)' };
}

/** `lookout drift`: read-only, so not audited (it changes nothing; Grafana's token is only sent to Grafana). */
export function driftCommand(run: Run, env: NodeJS.ProcessEnv): Command {
  const defaultDataDir = join(REPO_ROOT, '.data');
  return new Command('drift')
    .description('compare what Prometheus and Alertmanager loaded, and what Grafana serves when given its URL, with deploy/ (rendered as npm start renders it); exit 0 in sync, 1 drift, 2 a target unreadable')
    .option('--prometheus-url <url>', 'Prometheus (env LOOKOUT_PROMETHEUS_URL)', parseHttpUrl, env.LOOKOUT_PROMETHEUS_URL || 'http://127.0.0.1:9090')
    .option('--alertmanager-url <url>', 'Alertmanager (env LOOKOUT_ALERTMANAGER_URL)', parseHttpUrl, env.LOOKOUT_ALERTMANAGER_URL || 'http://127.0.0.1:9093')
    .option('--grafana-url <url>', 'Grafana, whose provisioned dashboards and data sources are compared too (env LOOKOUT_GRAFANA_URL; none: Grafana is not checked)', parseHttpUrl, env.LOOKOUT_GRAFANA_URL || undefined)
    .option('--grafana-token-file <file>', "a file holding Grafana's service account token (default: env LOOKOUT_GRAFANA_TOKEN); its role must read data sources (Admin)")
    .option('--data-dir <dir>', `the npm start data dir, whose render.json files say how it rendered the configs (default ${defaultDataDir} when it exists; none: compare with the committed files as they are, as compose runs them)`)
    .option('--no-data-dir', 'compare with the committed files as they are, whatever .data holds (a compose stack)')
    .option('--repo <dir>', 'the repository whose deploy/ is the truth', REPO_ROOT)
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .option('--timeout-ms <ms>', 'per request', parseTimeout, 5000)
    .action(function (this: Command) {
      const options = this.opts<DriftOptions>();
      return run(async (session) => {
        const dataDir = options.dataDir === false ? undefined : (options.dataDir ?? (existsSync(defaultDataDir) ? defaultDataDir : undefined));
        const report = await runDriftCheck({
          repoRoot: options.repo,
          dataDir,
          urls: { prometheus: options.prometheusUrl, alertmanager: options.alertmanagerUrl, grafana: options.grafanaUrl },
          timeoutMs: options.timeoutMs,
          ...(options.grafanaUrl ? grafanaToken(options, env) : {}),
        });
        session.io.stdout(options.format === 'json' ? `${JSON.stringify({ ...report, exitCode: exitCodeOf(report) }, null, 2)}\n` : formatDriftReport(report));
        process.exitCode = exitCodeOf(report);
      })();
    });
}
