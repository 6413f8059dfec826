// @lookout/logger lines through the transport worker (log-transport.ts) of a real child process:
// masked on stdout and over OTLP, nothing lost on SIGTERM, drops counted when the worker's queue is full.
import { findLeaks, SECRET_CORPUS } from '@lookout/logger/testing';
import { waitUntil } from '@lookout/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REGISTER, runningApps, startFixtureApp, type FixtureApp } from './testing/fixture-app.ts';
import { startOtlpReceiver, type OtlpReceiver } from '@lookout/testkit';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await Promise.all(runningApps.splice(0).map((child) => child.stop(2000)));
  receiver.clear();
});
afterAll(() => receiver.stop());

const burstRecords = () => receiver.logRecords().filter((record) => typeof record.attributes.burst === 'number');
const burstLines = (app: FixtureApp) => app.process.output().split('\n').filter((line) => line.includes('"burst":'));

describe('log export from the transport worker', () => {
  it('masks every line before it reaches stdout or OTLP, and keeps trace correlation off the main thread', async () => {
    const app = await startFixtureApp('express-app.mjs', ['--import', REGISTER], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const n = SECRET_CORPUS.length * 2;
    expect((await app.get(`/log-burst?n=${n}`)).status).toBe(200);
    await receiver.waitFor((r) => r.logRecords().filter((l) => typeof l.attributes.burst === 'number').length >= n, { what: `${n} burst records` });
    await waitUntil('every burst line on stdout', () => burstLines(app).length >= n, { context: () => app.process.tail() });

    const records = burstRecords();
    expect(records).toHaveLength(n);
    const exported = JSON.stringify(records.map((record) => ({ body: record.body, attributes: record.attributes })));
    expect(exported).toContain('[REDACTED]');
    expect(findLeaks(exported)).toEqual([]);
    expect(findLeaks(burstLines(app).join('\n'))).toEqual([]);
    expect(records[0]?.severityText).toBe('info');
    // The request's server span and the lines share the trace: the worker lifted trace_id/span_id.
    const span = await receiver.waitFor((r) => r.spans().find((s) => s.attributes['http.route'] === '/log-burst'), { what: 'the /log-burst span' });
    expect(new Set(records.map((record) => record.traceId))).toEqual(new Set([span.traceId]));
    expect(records[0]?.resource).toEqual(span.resource);
  });

  it('loses no line on SIGTERM: the worker writes and exports everything it holds, then the process exits by the signal', async () => {
    const app = await startFixtureApp('express-app.mjs', ['--import', REGISTER], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BLRP_SCHEDULE_DELAY: '600000',
      OTEL_BLRP_MAX_QUEUE_SIZE: '10000',
    });
    const n = 3000;
    expect((await app.get(`/log-burst?n=${n}`)).status).toBe(200);
    app.process.child.kill('SIGTERM');
    expect(await app.process.exited).toBe('SIGTERM');
    expect(burstRecords()).toHaveLength(n);
    expect(new Set(burstRecords().map((record) => record.attributes.burst)).size).toBe(n);
    expect(burstLines(app)).toHaveLength(n);
  });

  it('delivers a line logged just before process.exit() to stdout and OTLP', async () => {
    const app = await startFixtureApp('express-app.mjs', ['--import', REGISTER], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    expect((await app.get('/log-and-exit')).status).toBe(200);
    expect(await app.process.exited).toBe(3);
    expect(app.process.output()).toContain('"msg":"last words"');
    expect(receiver.logRecords().filter((record) => record.body === 'last words')).toHaveLength(1);
  });

  it('counts log records the worker had no room for in lookout.telemetry.dropped, and still writes every line to stdout', async () => {
    const app = await startFixtureApp('express-app.mjs', ['--import', REGISTER], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BLRP_SCHEDULE_DELAY: '600000',
      OTEL_BLRP_MAX_QUEUE_SIZE: '10',
    });
    const n = 2000;
    expect((await app.get(`/log-burst?n=${n}`)).status).toBe(200);
    const dropped = await waitUntil('dropped log records to be counted', async () => {
      const text = await (await app.get('/metrics')).text();
      const value = Number(/lookout_telemetry_dropped_total\{[^}]*signal="logs"[^}]*reason="queue_full"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
      return value > 0 ? value : undefined;
    }, { timeoutMs: 15_000, context: () => app.process.tail() });
    expect(dropped).toBeLessThan(n);
    await waitUntil('every burst line on stdout', () => burstLines(app).length >= n, { context: () => app.process.tail() });
    expect(findLeaks(burstLines(app).join('\n'))).toEqual([]);
  });
});
