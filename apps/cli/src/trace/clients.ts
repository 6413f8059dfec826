// The two read APIs `lookout trace` uses: Jaeger's HTTP API (traces) and VictoriaLogs' LogsQL
// (the app logs tenant). Errors name the backend and the option that points at it.

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; spanID: string }[];
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: { key: string; value: unknown }[];
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

export type LogRow = Record<string, string>;

export interface Backends {
  jaegerUrl: string;
  logsUrl: string;
  /** The app logs tenant (VictoriaLogs AccountID). */
  accountId: string;
}

async function get(what: string, option: string, url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new Error(`${what} at ${new URL(url).origin} is unreachable (${(error as Error).message}); is the stack running (npm start), or is ${option} right?`, { cause: error });
  }
}

/** One trace by id, or undefined when Jaeger does not have it (not sampled, or expired). */
export async function fetchTrace(backends: Backends, traceId: string): Promise<JaegerTrace | undefined> {
  const response = await get('Jaeger', '--jaeger-url', `${backends.jaegerUrl.replace(/\/+$/, '')}/api/traces/${traceId}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} for trace ${traceId}: ${(await response.text()).slice(0, 200)}`);
  return ((await response.json()) as { data: JaegerTrace[] }).data[0];
}

export interface TraceSearch {
  service: string;
  start: Date;
  end: Date;
  errorsOnly: boolean;
  limit: number;
}

export async function searchTraces(backends: Backends, search: TraceSearch): Promise<JaegerTrace[]> {
  const params = new URLSearchParams({ service: search.service, start: String(search.start.getTime() * 1000), end: String(search.end.getTime() * 1000), limit: String(search.limit) });
  // OTel's error status is Jaeger's error=true tag.
  if (search.errorsOnly) params.set('tags', JSON.stringify({ error: 'true' }));
  const response = await get('Jaeger', '--jaeger-url', `${backends.jaegerUrl.replace(/\/+$/, '')}/api/traces?${params}`);
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} to a search for service ${search.service}: ${(await response.text()).slice(0, 200)}`);
  return ((await response.json()) as { data: JaegerTrace[] | null }).data ?? [];
}

/** LogsQL on the app logs over [start, end]; rows in time order. */
export async function queryLogs(backends: Backends, query: string, start: Date, end: Date): Promise<LogRow[]> {
  const body = new URLSearchParams({ query, start: start.toISOString(), end: end.toISOString() });
  const response = await get('VictoriaLogs', '--logs-url', `${backends.logsUrl.replace(/\/+$/, '')}/select/logsql/query`, { method: 'POST', body, headers: { AccountID: backends.accountId, ProjectID: '0' } });
  const text = await response.text();
  if (!response.ok) throw new Error(`VictoriaLogs answered ${response.status}: ${text.slice(0, 200)}`);
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as LogRow).sort((a, b) => (a._time ?? '').localeCompare(b._time ?? ''));
}
