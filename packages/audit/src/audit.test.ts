import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { createTestMeter } from '@lookout/catalog/testing';
import { withLogContext } from '@lookout/logger';
import { createAudit } from './audit.ts';
import { GENESIS_HASH } from './canonical.ts';
import { AUDIT_SCOPE_NAME, toLogRecord } from './otlp.ts';
import { readEventsFile } from './readers.ts';
import type { AuditEvent } from './schema.ts';
import { SpoolFullError } from './spool.ts';
import { fakeSender, sample, tempDir } from './fixtures.test-support.ts';
import { verifyEvents } from './verify.ts';

const segments = (streamDir: string) => readdirSync(streamDir).filter((name) => name.endsWith('.jsonl'));

describe('record', () => {
  it('resolves with the chained event once it is in the spool file', async () => {
    const spoolDir = tempDir();
    const audit = await createAudit({ spoolDir, ship: false, service: 'svc' });
    const first = await audit.record(sample(1));
    const second = await audit.record(sample(2));
    expect(first).toMatchObject({ seq: 1, prev_hash: GENESIS_HASH, service: 'svc', stream: audit.streamId, action: 'test.thing.do', outcome: 'success' });
    expect(first.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second).toMatchObject({ seq: 2, prev_hash: first.hash });
    expect(Date.parse(first.time)).not.toBeNaN();
    // On disk already, before close.
    const lines = readFileSync(join(audit.streamDir, segments(audit.streamDir)[0] as string), 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as AuditEvent).event_id)).toEqual([first.event_id, second.event_id]);
    await audit.close();
  });

  it('keeps concurrent records in one gap-free chain (group commit)', async () => {
    const spoolDir = tempDir();
    const audit = await createAudit({ spoolDir, ship: false });
    const events = await Promise.all(Array.from({ length: 200 }, (_, i) => audit.record(sample(i))));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    await audit.close();
    expect(verifyEvents(await readEventsFile(spoolDir))).toMatchObject({ ok: true, events: 200 });
  });

  it('rejects invalid input without writing or using a seq', async () => {
    const audit = await createAudit({ spoolDir: tempDir(), ship: false });
    await expect(audit.record({ ...sample(), action: 'bad' })).rejects.toThrow(/action/);
    await expect(audit.record({ ...sample(), metadata: { big: 'x'.repeat(40_000) } })).rejects.toThrow(/larger than/);
    expect((await audit.record(sample())).seq).toBe(1);
    await audit.close();
  });

  it('carries request_id from the log context and trace_id/span_id of the active span', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      const tracer = new TracerProvider().getTracer('test');
      const audit = await createAudit({ spoolDir: tempDir(), ship: false });
      const span = tracer.startSpan('op');
      const requestId = '0b9e6c1a-4f7d-4c7e-9a51-3b2c8d0e1f21';
      const event = await context.with(trace.setSpan(context.active(), span), () => withLogContext({ requestId }, () => audit.record(sample())));
      span.end();
      expect(event).toMatchObject({ request_id: requestId, trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
      // Anything but a UUID is not a request id this trail keeps: it may be whatever a client sent.
      const secret = `ghp_${'d'.repeat(36)}`;
      const unsafe = await withLogContext({ requestId: secret }, () => audit.record(sample()));
      expect(unsafe.request_id).toBeUndefined();
      const outside = await audit.record(sample());
      expect(outside.request_id).toBeUndefined();
      expect(outside.trace_id).toBeUndefined();
      await audit.close();
    } finally {
      context.disable();
      propagation.disable();
    }
  });
});

describe('spool durability', () => {
  it('survives a restart: the same stream resumes its chain and delivers what was left', async () => {
    const spoolDir = tempDir();
    const down = fakeSender(true);
    const before = await createAudit({ spoolDir, sender: down.send, initialBackoffMs: 10 });
    for (let i = 0; i < 3; i++) await before.record(sample(i));
    expect(before.stats().events).toBe(3);
    await before.close();
    expect(down.attempts).toBeGreaterThan(0);

    const up = fakeSender(false);
    const after = await createAudit({ spoolDir, sender: up.send });
    expect(after.streamId).toBe(before.streamId);
    const fourth = await after.record(sample(3));
    expect(fourth.seq).toBe(4);
    expect(await after.flush(5000)).toBe(true);
    expect(after.stats()).toEqual({ events: 0, bytes: 0, oldestAgeSeconds: 0 });
    await after.close();
    const delivered = up.batches.flatMap((b) => b.events);
    expect(delivered.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(verifyEvents(delivered).ok).toBe(true);

    // A third start delivers nothing again: the cursor was persisted.
    const again = fakeSender(false);
    const third = await createAudit({ spoolDir, sender: again.send });
    expect(await third.flush(1000)).toBe(true);
    await third.close();
    expect(again.batches).toEqual([]);
  });

  it('survives a SIGKILLed process: the next one takes its stream over (stale lock) and delivers everything', async () => {
    const spoolDir = tempDir();
    const index = fileURLToPath(new URL('./index.ts', import.meta.url));
    // A child records 3 events (nothing can deliver them: port 9 is closed) and kills itself.
    const script = `const { createAudit } = await import(${JSON.stringify(index)});
      const audit = await createAudit({ spoolDir: ${JSON.stringify(spoolDir)}, service: 'crashy', endpoint: 'http://127.0.0.1:9/v1/logs' });
      for (let i = 0; i < 3; i++) await audit.record({ action: 'test.crash.before', actor: { type: 'operator', id: 'ann' }, target: { type: 'thing' }, outcome: 'success' });
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, LOOKOUT_LOG_LEVEL: 'silent' } });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const [stream] = readdirSync(spoolDir);
    expect(readdirSync(join(spoolDir, stream as string))).toContain('lock');

    const sender = fakeSender(false);
    const after = await createAudit({ spoolDir, service: 'crashy', sender: sender.send });
    expect(after.streamId).toBe(stream);
    expect(await after.record(sample())).toMatchObject({ seq: 4 });
    expect(await after.flush(5000)).toBe(true);
    await after.close();
    const delivered = sender.batches.flatMap((b) => b.events);
    expect(delivered.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(verifyEvents(delivered).ok).toBe(true);
  });

  it('cuts a torn last line (crash mid-write) and keeps the chain', async () => {
    const spoolDir = tempDir();
    const first = await createAudit({ spoolDir, ship: false });
    const last = await first.record(sample());
    await first.close();
    appendFileSync(join(first.streamDir, segments(first.streamDir)[0] as string), '{"event_id":"half');
    const second = await createAudit({ spoolDir, ship: false });
    expect(await second.record(sample())).toMatchObject({ seq: 2, prev_hash: last.hash });
    await second.close();
    expect(verifyEvents(await readEventsFile(spoolDir))).toMatchObject({ ok: true, events: 2 });
  });

  it('gives a second process (or instance) on the same folder a stream of its own', async () => {
    const spoolDir = tempDir();
    const a = await createAudit({ spoolDir, ship: false });
    const b = await createAudit({ spoolDir, ship: false });
    expect(a.streamId).not.toBe(b.streamId);
    await a.record(sample());
    await b.record(sample());
    await Promise.all([a.close(), b.close()]);
    expect(verifyEvents(await readEventsFile(spoolDir)).streams.map((s) => s.events)).toEqual([1, 1]);
  });

  it('rotates segments and deletes those wholly delivered', async () => {
    const spoolDir = tempDir();
    const sender = fakeSender(true);
    const audit = await createAudit({ spoolDir, sender: sender.send, segmentBytes: 1000, initialBackoffMs: 10, maxBackoffMs: 20 });
    for (let i = 0; i < 20; i++) await audit.record(sample(i));
    expect(segments(audit.streamDir).length).toBeGreaterThan(3);
    sender.down = false;
    expect(await audit.flush(5000)).toBe(true);
    expect(segments(audit.streamDir)).toHaveLength(1);
    expect(sender.batches.flatMap((b) => b.events).map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await audit.close();
  });

  it('is bounded: when full, record rejects clearly instead of dropping, and recovers once delivered', async () => {
    const sender = fakeSender(true);
    const audit = await createAudit({ spoolDir: tempDir(), sender: sender.send, maxSpoolBytes: 2000, initialBackoffMs: 10, maxBackoffMs: 20 });
    let accepted = 0;
    let refusal: unknown;
    for (let i = 0; i < 50 && !refusal; i++) {
      try {
        await audit.record(sample(i));
        accepted++;
      } catch (error) {
        refusal = error;
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(refusal).toBeInstanceOf(SpoolFullError);
    expect((refusal as Error).message).toMatch(/full .*NOT recorded/);
    expect(audit.stats().bytes).toBeLessThanOrEqual(2000);
    expect(audit.hasRoom()).toBe(false);
    sender.down = false;
    expect(await audit.flush(5000)).toBe(true);
    expect(audit.hasRoom()).toBe(true);
    expect((await audit.record(sample())).seq).toBe(accepted + 1);
    await audit.close();
  });
});

describe('monitoring and the wire format', () => {
  it('reports spool size, bytes and oldest undelivered age as the inventory gauges', async () => {
    const test = createTestMeter();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const sender = fakeSender(true);
    const audit = await createAudit({ spoolDir: tempDir(), sender: sender.send, meter: test.meter, now: () => now, initialBackoffMs: 10, maxBackoffMs: 20 });
    await audit.record(sample());
    await audit.record(sample());
    now += 90_000;
    expect((await test.points('lookout.audit.spool.size')).map((p) => p.value)).toEqual([2]);
    expect((await test.points('lookout.audit.spool.oldest_undelivered.age')).map((p) => p.value)).toEqual([90]);
    expect((await test.points('lookout.audit.spool.usage'))[0]?.value).toBeGreaterThan(200);
    sender.down = false;
    await audit.flush(5000);
    expect((await test.points('lookout.audit.spool.size')).map((p) => p.value)).toEqual([0]);
    expect((await test.points('lookout.audit.spool.oldest_undelivered.age')).map((p) => p.value)).toEqual([0]);
    await audit.close();
    await test.shutdown();
  });

  it('sends each event as a log record with the audit marker and its stored line as body', async () => {
    const sender = fakeSender(false);
    const audit = await createAudit({ spoolDir: tempDir(), sender: sender.send });
    const event = await audit.record({ ...sample(), outcome: 'denied', reason: 'no' });
    await audit.flush(5000);
    await audit.close();
    const { lines } = sender.batches[0] as { lines: string[] };
    const record = toLogRecord(event, lines[0] as string, { attributes: {} } as never);
    expect(record.instrumentationScope.name).toBe(AUDIT_SCOPE_NAME);
    expect(record.attributes).toMatchObject({ 'log.type': 'audit', 'event.id': event.event_id, 'audit.action': 'test.thing.do', 'audit.outcome': 'denied', 'audit.seq': 1 });
    expect(JSON.parse(record.body as string)).toEqual(event);
    expect(record.severityText).toBe('WARN');
  });
});
