// A minimal Prometheus HTTP API client: query_range, as the report needs it. Errors name
// Prometheus and the query, and say what to check.

export interface RangeOptions {
  start: Date;
  end: Date;
  stepSeconds: number;
}

export interface RangeSeries {
  metric: Record<string, string>;
  /** [unix seconds, value as Prometheus formats it] */
  values: [number, string][];
}

interface ApiResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: RangeSeries[] };
}

export async function queryRange(baseUrl: string, query: string, options: RangeOptions): Promise<RangeSeries[]> {
  const body = new URLSearchParams({ query, start: String(options.start.getTime() / 1000), end: String(options.end.getTime() / 1000), step: String(options.stepSeconds) });
  let response: Response;
  try {
    response = await fetch(new URL('/api/v1/query_range', baseUrl), { method: 'POST', body, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new Error(`Prometheus at ${baseUrl} is unreachable (${(error as Error).message}); is the stack running (npm start), or is --prometheus-url right?`, { cause: error });
  }
  const parsed = (await response.json().catch(() => ({ status: 'error', error: `HTTP ${response.status}, not JSON` }))) as ApiResponse;
  if (parsed.status !== 'success' || !parsed.data) throw new Error(`Prometheus refused the query (${parsed.error ?? `HTTP ${response.status}`}): ${query}`);
  return parsed.data.result;
}
