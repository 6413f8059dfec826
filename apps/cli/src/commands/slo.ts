import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration, REPORT_COLUMNS, sloReport, toCsv } from '@lookout/slo-report';
import { UsageError } from '../errors.ts';
import type { Io } from '../session.ts';
import { parseTime } from './audit.ts';

/** A step such as 30s, 5m, 1h, 1d, in seconds. */
export function parseStep(value: string): number {
  const seconds = parseDuration(value);
  if (seconds === undefined) throw new InvalidArgumentError('must be a duration such as 30s, 5m, 1h or 1d');
  return seconds;
}

interface ReportOptions {
  from?: Date;
  to?: Date;
  step: number;
  format: 'csv' | 'json';
  prometheusUrl: string;
  output?: string;
}

/** `lookout slo report`: reads Prometheus only, changes nothing, so it is not audited. */
export function sloCommand(io: Io): Command {
  const slo = new Command('slo').description('service level objectives (slo/lookout.slo.yaml), from Prometheus');
  slo
    .command('report')
    .description('per SLO and step: SLI, objective, error budget remaining, burn rate over 1h and 6h, and whether an alert fired, from Prometheus query_range (packages/slo-report/README.md says what each column is)')
    .option('--from <time>', 'start: ISO time or 30m/24h/7d ago (default 24h before --to)', (v) => parseTime(v))
    .option('--to <time>', 'end: ISO time or a duration ago (default now)', (v) => parseTime(v))
    .option('--step <duration>', 'one row per SLO every step: 30s, 5m, 1h, 1d', parseStep, 3600)
    .addOption(new Option('--format <format>', 'csv (RFC 4180, UTC ISO 8601 times) or json').choices(['csv', 'json']).default('csv'))
    .option('--prometheus-url <url>', 'Prometheus (env LOOKOUT_PROMETHEUS_URL)', io.env.LOOKOUT_PROMETHEUS_URL || 'http://127.0.0.1:9090')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .action(async function (this: Command) {
      const options = this.opts<ReportOptions>();
      const end = options.to ?? new Date();
      const start = options.from ?? new Date(end.getTime() - 86_400_000);
      if (start >= end) throw new UsageError(`--from (${start.toISOString()}) must be before --to (${end.toISOString()})`);
      const rows = await sloReport({ prometheusUrl: options.prometheusUrl, start, end, stepSeconds: options.step });
      const text = options.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : toCsv(REPORT_COLUMNS, rows);
      if (options.output) writeFileSync(options.output, text);
      else io.stdout(text);
    });
  return slo;
}
