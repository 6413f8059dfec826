import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Express } from 'express';
import { getLogger } from '@lookout/logger';
import { shutdown as flushTelemetry } from '@lookout/otel-bootstrap';
import { errorBody } from './errors.ts';

const log = getLogger('service-kit');

export interface ListenOptions {
  port: number;
  host?: string;
  /** Runs after the server stops accepting and drains: close queues, Redis clients. */
  onClose?: () => Promise<void>;
  /** How long in-flight requests may take to finish on stop. Default 10 s. */
  drainTimeoutMs?: number;
  /** Exit the process on SIGTERM/SIGINT after closing. Default true; tests pass false. */
  handleSignals?: boolean;
}

export interface RunningService {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Requests Node refuses before Express sees them (headers over 16 KB, a malformed request line) get
 * the same JSON error body as every other 4xx, instead of Node's bare status line. Nothing of the
 * request is quoted back.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket) {
  if (!socket.writable || socket.writableEnded) return void socket.destroy();
  const [status, reason, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'the request headers are larger than 16 KB; send fewer or shorter headers']
      : [400, 'Bad Request', 'bad_request', 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify(errorBody(code, message));
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export async function listen(app: Express, options: ListenOptions): Promise<RunningService> {
  const { port, host = '127.0.0.1', onClose, drainTimeoutMs = 10_000, handleSignals = true } = options;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  server.on('clientError', answerClientError);
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
      await drained;
      clearTimeout(timer);
      await onClose?.();
    })());

  if (handleSignals) {
    const stop = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'stopping');
      close()
        .then(() => flushTelemetry())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            log.error({ err: error }, 'error while stopping');
            process.exit(1);
          },
        );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
  log.info({ url }, 'listening');
  return { server, url, close };
}
