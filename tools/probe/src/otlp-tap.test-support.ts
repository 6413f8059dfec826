// An OTLP/HTTP pass-through between the services and the collector that keeps a copy of every export
// request as sent. The collector masks some attributes itself, so its files alone cannot tell whether
// a service masked before export; this copy can. Protobuf stores strings as plain UTF-8, so the bytes
// are searched as text without decoding the messages.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { listenLocally } from '@lookout/testkit';
import { gunzipSync } from 'node:zlib';

export type OtlpSignal = 'traces' | 'metrics' | 'logs';

export interface OtlpTap {
  /** Where the services send OTLP (OTEL_EXPORTER_OTLP_ENDPOINT). */
  url: string;
  /** Every export request body of a signal, decompressed, as text. */
  exported(signal: OtlpSignal): string;
  /** Export requests seen per signal. */
  counts(): Record<OtlpSignal, number>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Starts the tap on a free loopback port; every request is forwarded to `target` unchanged. */
export async function startOtlpTap(target: string): Promise<OtlpTap> {
  const kept: Record<OtlpSignal, Buffer[]> = { traces: [], metrics: [], logs: [] };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const signal = /\/v1\/(traces|metrics|logs)$/.exec(req.url ?? '')?.[1] as OtlpSignal | undefined;
      if (signal) kept[signal].push(req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body);
      const headers = Object.fromEntries(['content-type', 'content-encoding'].flatMap((h) => (req.headers[h] ? [[h, String(req.headers[h])]] : [])));
      const answer = await fetch(`${target}${req.url ?? ''}`, { method: req.method, headers, body });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    })().catch((error: unknown) => {
      // The services retry a failed export, as they would with the collector down.
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`otlp tap: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  return {
    ...(await listenLocally(server)),
    exported: (signal) => kept[signal].map((b) => b.toString('utf8')).join('\n'),
    counts: () => ({ traces: kept.traces.length, metrics: kept.metrics.length, logs: kept.logs.length }),
  };
}
