import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.ts';
import type { Io } from '../session.ts';
import { fetchTrace, queryLogs, searchTraces, type Backends } from '../trace/clients.ts';
import { renderTraceList, renderWaterfall } from '../trace/waterfall.ts';
import { parseStep } from './slo.ts';

const TRACE_ID = /^[0-9a-f]{32}$/;
/** Request ids as the services keep them (UUIDs; service-kit) and similar plain tokens: never LogsQL syntax. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;
const SERVICE = /^[\w.-]{1,128}$/;

interface TraceOptions {
  requestId?: string;
  service?: string;
  last: number;
  errors?: boolean;
  limit: number;
  jaegerUrl: string;
  logsUrl: string;
  accountId: string;
}

const checked = (pattern: RegExp, what: string) => (value: string) => {
  if (!pattern.test(value)) throw new InvalidArgumentError(`must be ${what}`);
  return value;
};

/** A trace with its log lines; when Jaeger does not have it (not sampled), its log lines alone. */
async function showTrace(io: Io, backends: Backends, traceId: string, around: { start: Date; end: Date }): Promise<boolean> {
  const [trace, logs] = await Promise.all([fetchTrace(backends, traceId), queryLogs(backends, `trace_id:=${JSON.stringify(traceId)} | sort by (_time)`, around.start, around.end)]);
  if (trace) {
    io.stdout(renderWaterfall(trace, logs));
    return true;
  }
  io.stdout(`trace ${traceId} is not in Jaeger (only 10 % of traces are kept, ADR 0004; or it expired)${logs.length ? `; its ${logs.length} log line(s):` : ', and no log line has it'}\n`);
  for (const row of logs) io.stdout(`  ${row._time ?? ''} ${row['service.name'] ?? ''} ${row.severity_text ?? ''} ${row._msg ?? ''}\n`);
  return logs.length > 0;
}

/** `lookout trace`: reads Jaeger and the app logs only, so it is not audited. */
export function traceCommand(io: Io): Command {
  return new Command('trace')
    .description('a trace as a waterfall in the terminal, each span followed by its log lines (Jaeger + VictoriaLogs); or find it by a request id; or list recent traces of a service')
    .argument('[trace-id]', 'a trace id: 32 lowercase hex digits', checked(TRACE_ID, '32 lowercase hex digits (a W3C trace id)'))
    .option('--request-id <id>', "find the trace(s) through the request's log lines (x-request-id)", checked(REQUEST_ID, 'a request id (letters, digits, . _ : -)'))
    .option('--service <name>', 'list recent traces of this service', checked(SERVICE, 'a service name (letters, digits, . _ -)'))
    .option('--last <duration>', 'how far back to look: 30s, 5m, 1h, 1d', parseStep, 3600)
    .option('--errors', 'with --service: only traces with an error span')
    .option('--limit <n>', 'with --service: at most n traces', (v) => Number.parseInt(v, 10), 20)
    .option('--jaeger-url <url>', 'Jaeger query API (env LOOKOUT_JAEGER_URL)', io.env.LOOKOUT_JAEGER_URL || 'http://127.0.0.1:16686')
    .option('--logs-url <url>', 'VictoriaLogs with the app logs (env LOOKOUT_LOGS_APP_URL)', io.env.LOOKOUT_LOGS_APP_URL || 'http://127.0.0.1:9428')
    .option('--account-id <id>', 'app logs tenant AccountID', '1')
    .action(async function (this: Command, traceId: string | undefined) {
      const options = this.opts<TraceOptions>();
      const modes = [traceId, options.requestId, options.service].filter(Boolean).length;
      if (modes !== 1) throw new UsageError('give exactly one of: a trace id, --request-id <id>, --service <name> (see lookout trace --help)');
      const backends: Backends = { jaegerUrl: options.jaegerUrl, logsUrl: options.logsUrl, accountId: options.accountId };
      const end = new Date();
      const start = new Date(end.getTime() - options.last * 1000);
      if (options.service) {
        io.stdout(renderTraceList(await searchTraces(backends, { service: options.service, start, end, errorsOnly: options.errors === true, limit: options.limit })));
        return;
      }
      const traceIds = traceId ? [traceId] : [...new Set((await queryLogs(backends, `request_id:=${JSON.stringify(options.requestId)} trace_id:* | fields trace_id`, start, end)).map((r) => r.trace_id).filter((id): id is string => TRACE_ID.test(id ?? '')))];
      if (traceIds.length === 0) {
        io.stderr(`lookout: no log line with request_id ${options.requestId} and a trace_id in the last ${options.last} s (try a longer --last)\n`);
        process.exitCode = 1;
        return;
      }
      let found = false;
      for (const id of traceIds) found = (await showTrace(io, backends, id, { start, end })) || found;
      if (!found) process.exitCode = 1;
    });
}
