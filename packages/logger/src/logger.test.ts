import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { context } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, getLogContext, getLogger, withLogContext, REDACTED } from './index.ts';
import { captureLines, findLeaks, SECRET_CORPUS } from './testing/index.ts';

// This file runs without an OTel context manager, as a process does without @lookout/otel-bootstrap:
// context.with is then a no-op, and request_id/user_id must still come from the logger's own ALS.

afterEach(() => {
  delete process.env.LOOKOUT_LOG_LEVEL;
  delete process.env.OTEL_SERVICE_NAME;
});

describe('createLogger', () => {
  it('writes JSON lines with time, level label, msg and service', () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination, service: 'svc-a' });
    const before = Date.now();
    log.info({ route: '/reviews' }, 'handled');
    expect(capture.lines).toHaveLength(1);
    const line = capture.lines[0] as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', service: 'svc-a', route: '/reviews', msg: 'handled' });
    expect(line.time).toBeGreaterThanOrEqual(before);
    expect(line).not.toHaveProperty('pid');
    expect(line).not.toHaveProperty('hostname');
  });

  it('takes service from OTEL_SERVICE_NAME and level from LOOKOUT_LOG_LEVEL', () => {
    process.env.OTEL_SERVICE_NAME = 'from-env';
    process.env.LOOKOUT_LOG_LEVEL = 'debug';
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    log.debug('visible');
    log.trace('hidden');
    expect(capture.lines.map((line) => [line.level, line.msg, line.service])).toEqual([['debug', 'visible', 'from-env']]);
  });

  it('defaults to info', () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    log.debug('hidden');
    log.info('shown');
    expect(capture.lines.map((line) => line.msg)).toEqual(['shown']);
  });

  it('answers an unknown level with one warning and info', () => {
    process.env.LOOKOUT_LOG_LEVEL = 'verbose';
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    log.debug('hidden');
    log.info('shown');
    expect(capture.lines).toHaveLength(2);
    expect(capture.lines[0]).toMatchObject({ level: 'warn', requested_level: 'verbose' });
    expect(capture.lines[1]).toMatchObject({ level: 'info', msg: 'shown' });
  });

  it('names the component in field `logger`', () => {
    const capture = captureLines();
    createLogger({ destination: capture.destination }).child({ logger: 'reviews' }).warn('x');
    expect(capture.lines[0]).toMatchObject({ logger: 'reviews', level: 'warn' });
  });
});

describe('getLogger', () => {
  it('returns one cached pino child per name', () => {
    const log = getLogger('component-a');
    expect(getLogger('component-a')).toBe(log);
    expect(getLogger('component-b')).not.toBe(log);
    expect(log.bindings()).toEqual({ logger: 'component-a' });
    expect(typeof log.info).toBe('function');
  });
});

describe('masking in log lines', () => {
  const setup = () => {
    const capture = captureLines();
    return { capture, log: createLogger({ destination: capture.destination, level: 'trace' }) };
  };

  it('masks every corpus secret wherever it is passed', () => {
    const { capture, log } = setup();
    for (const sample of SECRET_CORPUS) {
      log.info(sample.text);
      log.info({ detail: sample.text, nested: { list: [sample.text] } }, 'object');
      log.info('printf %s and %o and %j', sample.text, { value: sample.text }, { value: sample.text });
      log.error(new Error(sample.text));
      log.error({ err: new Error(`wrapped: ${sample.text}`) });
      log.warn({ err: new Error('outer', { cause: new Error(sample.text) }) }, 'with cause');
    }
    expect(capture.lines.length).toBe(SECRET_CORPUS.length * 6);
    expect(findLeaks(capture.text())).toEqual([]);
  });

  it('masks by key and keeps the rest of the line intact', () => {
    const { capture, log } = setup();
    log.info({ headers: { authorization: 'Basic whatever', accept: 'json' }, password_policy_version: 3 }, 'request');
    expect(capture.lines[0]).toMatchObject({ headers: { authorization: REDACTED, accept: 'json' }, password_policy_version: 3, msg: 'request' });
  });

  it('serializes and masks errors, taking the message from the error when none is given', () => {
    const { capture, log } = setup();
    log.error(new Error('login failed for password=hunter22'));
    const line = capture.lines[0] as { msg: string; err: { type: string; message: string; stack: string } };
    expect(line.msg).toBe(`login failed for password=${REDACTED}`);
    expect(line.err.type).toBe('Error');
    expect(line.err.stack).toContain(`password=${REDACTED}`);
    expect(capture.text()).not.toContain('hunter22');
  });

  it('masks the message when the merge object is null or undefined', () => {
    const { capture, log } = setup();
    log.info(null, 'token=abcdef12');
    log.info(undefined, 'token=abcdef34');
    expect(capture.lines.map((line) => line.msg)).toEqual([`token=${REDACTED}`, `token=${REDACTED}`]);
  });

  it('masks child bindings', () => {
    const { capture, log } = setup();
    log.child({ apiKey: 'k-123456', dsn: 'postgres://u:pw999999@h/db' }).info('x');
    expect(capture.lines[0]).toMatchObject({ apiKey: REDACTED, dsn: `postgres://u:${REDACTED}@h/db` });
  });

  it('never mutates the objects it is given', () => {
    const { log } = setup();
    const fields = { token: 'abc', nested: { password: 'p' } };
    const error = new Error('token=abcdef');
    log.info(fields, 'x');
    log.error({ err: error });
    expect(fields).toEqual({ token: 'abc', nested: { password: 'p' } });
    expect(error.message).toBe('token=abcdef');
  });
});

describe('withLogContext without an OTel context manager', () => {
  it('is really running without one (context.with cannot carry anything here)', () => {
    const key = Symbol('probe');
    const seen = context.with(context.active().setValue(key, 1), () => context.active().getValue(key));
    expect(seen).toBeUndefined();
  });

  it('adds request_id, user_id and snake_cased extras across awaits, timers and event emitters', async () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination }).child({ logger: 'ctx' });
    const emitter = new EventEmitter();
    emitter.on('event', () => log.info('from listener'));
    await withLogContext({ requestId: 'req-1', userId: 'user-1', jobId: 'job-9', tenant_name: 'acme' }, async () => {
      log.info('start');
      await sleep(1);
      log.info('after await');
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          log.info('in timer');
          resolve();
        }, 1),
      );
      setImmediate(() => emitter.emit('event'));
      await new Promise((resolve) => emitter.once('event', resolve));
    });
    log.info('outside');
    const expected = { request_id: 'req-1', user_id: 'user-1', job_id: 'job-9', tenant_name: 'acme', logger: 'ctx' };
    expect(capture.lines.map((line) => line.msg)).toEqual(['start', 'after await', 'in timer', 'from listener', 'outside']);
    for (const line of capture.lines.slice(0, 4)) expect(line).toMatchObject(expected);
    expect(capture.lines[4]).not.toHaveProperty('request_id');
  });

  it('merges nested contexts over the outer one and restores the outer one after', async () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    await withLogContext({ requestId: 'outer', userId: 'u1' }, async () => {
      await withLogContext({ requestId: 'inner', step: 'two', userId: undefined }, async () => {
        await sleep(1);
        log.info('inner');
        expect(getLogContext()).toEqual({ requestId: 'inner', userId: 'u1', step: 'two' });
      });
      log.info('outer again');
    });
    expect(capture.lines[0]).toMatchObject({ request_id: 'inner', user_id: 'u1', step: 'two' });
    expect(capture.lines[1]).toMatchObject({ request_id: 'outer', user_id: 'u1' });
    expect(capture.lines[1]).not.toHaveProperty('step');
  });

  it('returns what fn returns and keeps concurrent contexts apart', async () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    const results = await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        withLogContext({ requestId: id }, async () => {
          await sleep(3);
          log.info(id);
          return getLogContext().requestId;
        }),
      ),
    );
    expect(results).toEqual(['a', 'b', 'c']);
    for (const line of capture.lines) expect(line.request_id).toBe(line.msg);
  });

  it('masks secrets put into the context itself', () => {
    const capture = captureLines();
    const log = createLogger({ destination: capture.destination });
    withLogContext({ requestId: 'r', sessionToken: 'leak-me-not', note: 'Bearer abcd1234efgh' }, () => log.info('x'));
    expect(capture.text()).not.toMatch(/leak-me-not|abcd1234efgh/);
  });

  it('has an empty context outside withLogContext', () => {
    expect(getLogContext()).toEqual({});
  });
});
