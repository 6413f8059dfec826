import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { withLogContext } from '@lookout/logger';
import { createReviewerClient, ReviewerError } from './reviewer-client.ts';

let server: Server | undefined;
async function serve(listener: RequestListener): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('reviewer client', () => {
  it('posts the diff with the request id and returns findings and outcome', async () => {
    let seen: { id?: string; body?: string } = {};
    const baseUrl = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = { id: req.headers['x-request-id'] as string, body };
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"findings":[],"outcome":"partial","extra":1}');
      });
    });
    const result = await withLogContext({ requestId: 'req-42' }, () => createReviewerClient({ baseUrl }).review('+x'));
    expect(result).toEqual({ findings: [], outcome: 'partial' });
    expect(seen).toEqual({ id: 'req-42', body: '{"diff":"+x"}' });
  });

  it('turns HTTP errors, odd bodies, timeouts and refused connections into ReviewerError', async () => {
    let mode = 'status';
    const baseUrl = await serve((_req, res) => {
      if (mode === 'status') res.writeHead(503).end('down at /srv/x.ts:1');
      else if (mode === 'refused') res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"invalid_diff","message":"diff is not a unified diff: no hunk"}}');
      else if (mode === 'body') res.writeHead(200, { 'content-type': 'application/json' }).end('{"findings":"nope"}');
      // mode 'hang': never answer
    });
    const client = createReviewerClient({ baseUrl, timeoutMs: 200 });
    await expect(client.review('x')).rejects.toThrow(new ReviewerError('the reviewer answered HTTP 503'));
    mode = 'refused';
    await expect(client.review('x')).rejects.toThrow(new ReviewerError('the reviewer refused the diff: diff is not a unified diff: no hunk'));
    mode = 'body';
    await expect(client.review('x')).rejects.toThrow('unexpected body');
    mode = 'hang';
    await expect(client.review('x')).rejects.toThrow('did not answer within 200 ms');
    await expect(createReviewerClient({ baseUrl: 'http://127.0.0.1:1' }).review('x')).rejects.toThrow('the reviewer is unreachable');
  });
});
