import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLogContext } from '@lookout/logger';
import { createServiceApp, finishServiceApp, listen, requireJson, type RunningService } from './index.ts';

describe('a service app', () => {
  let service: RunningService;
  let readyFails = false;
  beforeAll(async () => {
    const app = createServiceApp({
      name: 'test-svc',
      ready: {
        redis: async () => {
          if (readyFails) throw new Error('connect ECONNREFUSED redis://:hunter2secret@127.0.0.1:6379');
        },
      },
    });
    app.post('/echo', requireJson, express.json({ limit: 64 }), (req, res) => res.json({ body: req.body, context: getLogContext() }));
    app.get('/boom', () => {
      throw new Error('kaboom at /srv/secret/path');
    });
    service = await listen(finishServiceApp(app), { port: 0, handleSignals: false });
  });
  afterAll(() => service?.close());

  it('serves liveness and readiness', async () => {
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { redis: 'ok' } });
  });

  it('reports a failed dependency as 503 without leaking its credentials', async () => {
    readyFails = true;
    try {
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(503);
      const body = await ready.text();
      expect(body).toContain('not_ready');
      expect(body).not.toContain('hunter2secret');
    } finally {
      readyFails = false;
    }
  });

  it('keeps a UUID x-request-id and replaces anything else (a secret there never reaches the context)', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${service.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"a":1}' });
    const uuid = '0b9e6c1a-4f7d-4c7e-9a51-3b2c8d0e1f21';
    const kept = await post({ 'x-request-id': uuid });
    expect(kept.headers.get('x-request-id')).toBe(uuid);
    expect(await kept.json()).toMatchObject({ body: { a: 1 }, context: { requestId: uuid } });

    for (const unsafe of ['bad id with spaces {}', 'req-123', `ghp_${'a'.repeat(36)}`]) {
      const replaced = await post({ 'x-request-id': unsafe });
      const id = replaced.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await replaced.text()).not.toContain(unsafe);
    }
  });

  it('answers bad input with precise JSON errors', async () => {
    const wrongType = await fetch(`${service.url}/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(wrongType.status).toBe(415);
    const malformed = await fetch(`${service.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: 'malformed_json', message: 'request body is not valid JSON' } });
    const tooBig = await fetch(`${service.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'y'.repeat(200) }) });
    expect(tooBig.status).toBe(413);
    expect((await fetch(`${service.url}/nowhere`)).status).toBe(404);
  });

  it('answers a body that does not match its Content-Encoding with 400, and other unreadable bodies with a 4xx', async () => {
    const post = (headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer> = '{"a":1}') =>
      fetch(`${service.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await post({ 'content-encoding': encoding });
      expect(res.status, encoding).toBe(400);
      expect((await res.json()) as unknown).toMatchObject({ error: { code: 'bad_content_encoding' } });
    }
    const compressed = await post({ 'content-encoding': 'gzip' }, new Uint8Array(gzipSync('{"a":2}')));
    expect(await compressed.json()).toMatchObject({ body: { a: 2 } });
    const unknownEncoding = await post({ 'content-encoding': 'compress' });
    expect(unknownEncoding.status).toBe(415);
    const badCharset = await post({ 'content-type': 'application/json; charset=ebcdic' });
    expect(badCharset.status).toBe(415);
    expect(await badCharset.json()).toMatchObject({ error: { code: 'unsupported_charset' } });
  });

  it('hides unexpected errors behind a generic 500 without a stack', async () => {
    const res = await fetch(`${service.url}/boom`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toContain('internal_error');
    expect(body).not.toContain('kaboom');
    expect(body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('serves /metrics in Prometheus text format', async () => {
    const res = await fetch(`${service.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
  });
});
