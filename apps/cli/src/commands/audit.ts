import { Command, InvalidArgumentError } from 'commander';
import { readEventsFile, readVictoriaLogs, verifyEvents, type VerifyReport } from '@lookout/audit/reader';
import { EXIT } from '../errors.ts';
import type { Session } from '../session.ts';

type Run = (action: (session: Session) => Promise<void>) => () => Promise<void>;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO 8601 time, or a duration back from now: 30m, 24h, 7d. */
export function parseTime(value: string, now = Date.now()): Date {
  const relative = /^(\d+)([smhd])$/.exec(value.trim());
  if (relative) return new Date(now - Number(relative[1]) * (UNITS[relative[2] as string] as number));
  const absolute = Date.parse(value);
  if (Number.isNaN(absolute)) throw new InvalidArgumentError('must be an ISO 8601 time (2026-11-28T12:00:00Z) or a duration back from now (30m, 24h, 7d)');
  return new Date(absolute);
}

interface VerifyOptions {
  file?: string;
  from?: Date;
  to?: Date;
  url: string;
  accountId: string;
  projectId: string;
  json?: boolean;
}

function printReport(session: Session, report: VerifyReport, source: string): void {
  const out = session.io.stdout;
  out(`source: ${source}\n`);
  out(`${report.events} event(s) in ${report.streams.length} stream(s), ${report.duplicates} duplicate(s) ignored\n`);
  for (const stream of report.streams) out(`  ${stream.stream}: seq ${stream.first_seq}..${stream.last_seq}, ${stream.events} event(s)\n`);
  if (report.ok) {
    out('OK: every chain is intact (no gap, edit or reordering)\n');
    return;
  }
  out(`FAILED: ${report.problems.length} problem(s)\n`);
  for (const problem of report.problems) out(`  ${problem.kind.toUpperCase()}${problem.stream ? ` ${problem.stream}` : ''}: ${problem.message}\n`);
}

export function auditCommand(run: Run, env: NodeJS.ProcessEnv): Command {
  const audit = new Command('audit').description('the audit trail');
  audit
    .command('verify')
    .description('check the hash chains of audit events: from the audit tenant of VictoriaLogs over a time range, or from a spool/export file (--file). Exits 1 on any gap, edit or reordering.')
    .option('--file <path>', 'a spool folder, a stream folder, a segment file or an exported JSON-lines file, instead of VictoriaLogs')
    .option('--from <time>', 'start of the range: ISO time or 30m/24h/7d ago (default 24h)', (v) => parseTime(v))
    .option('--to <time>', 'end of the range (default now)', (v) => parseTime(v))
    .option('--url <url>', 'logs-audit VictoriaLogs (env LOOKOUT_LOGS_AUDIT_URL)', env.LOOKOUT_LOGS_AUDIT_URL || 'http://127.0.0.1:9429')
    .option('--account-id <id>', 'audit tenant AccountID (env LOOKOUT_LOGS_AUDIT_ACCOUNT_ID)', env.LOOKOUT_LOGS_AUDIT_ACCOUNT_ID || '2')
    .option('--project-id <id>', 'audit tenant ProjectID', '0')
    .option('--json', 'print the report as JSON')
    .action(function (this: Command) {
      const options = this.opts<VerifyOptions>();
      return run(async (session) => {
        const to = options.to ?? new Date();
        const from = options.from ?? new Date(to.getTime() - UNITS.h! * 24);
        const source = options.file ?? `${options.url} (AccountID ${options.accountId}) from ${from.toISOString()} to ${to.toISOString()}`;
        const report = await session.audited(
          { action: 'admin.audit.verify', target: { type: 'audit_trail', id: options.file ? 'file' : 'victorialogs' } },
          async () => {
            if (!options.file && from >= to) throw new Error('--from must be before --to');
            const events = options.file
              ? await readEventsFile(options.file)
              : await readVictoriaLogs({ url: options.url, accountId: options.accountId, projectId: options.projectId, from, to });
            return verifyEvents(events);
          },
          (result) => ({
            outcome: result.ok ? 'success' : 'failure',
            ...(result.ok ? {} : { reason: `${result.problems.length} problem(s): ${[...new Set(result.problems.map((p) => p.kind))].join(', ')}` }),
            metadata: { events: result.events, streams: result.streams.length, problems: result.problems.length },
          }),
        );
        if (options.json) session.io.stdout(`${JSON.stringify({ source, ...report }, null, 2)}\n`);
        else printReport(session, report, source);
        if (!report.ok) process.exitCode = EXIT.failed;
      })();
    });
  audit
    .command('flush')
    .description("deliver this CLI's spooled audit events to the collector now")
    .option('--timeout <ms>', 'how long to try', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be milliseconds (an integer >= 0)');
      return n;
    }, 10_000)
    .action(function (this: Command) {
      const { timeout } = this.opts<{ timeout: number }>();
      return run(async (session) => {
        const trail = await session.audit();
        const delivered = await trail.flush(timeout);
        const { events } = trail.stats();
        if (!delivered) throw new Error(`${events} audit event(s) still undelivered after ${timeout} ms; is the collector reachable (OTEL_EXPORTER_OTLP_ENDPOINT)?`);
        session.io.stdout('every spooled audit event is delivered\n');
      })();
    });
  return audit;
}
