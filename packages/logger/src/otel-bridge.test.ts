import { context, logs, SeverityNumber, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLines, findLeaks, SECRET_CORPUS } from './testing/index.ts';

// What @lookout/otel-bootstrap does for logs: instrumentation-pino with log sending on and its own
// correlation off, forwarding to the OTel Logs SDK. pino must be patched before it is first required,
// so the logger is imported only after the instrumentation is registered (this file's own process).

const exporter = new InMemoryLogRecordExporter();
const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
let logger: typeof import('./index.ts');
let disableInstrumentations: () => void;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  logs.setGlobalLoggerProvider(provider);
  disableInstrumentations = registerInstrumentations({ instrumentations: [new PinoInstrumentation({ disableLogCorrelation: true })] });
  logger = await import('./index.ts');
});
afterAll(async () => {
  disableInstrumentations();
  await provider.shutdown();
  logs.disable();
  context.disable();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

async function forwarded() {
  await provider.forceFlush();
  return exporter.getFinishedLogRecords();
}

describe('the OTel bridge (instrumentation-pino)', () => {
  it('is active: pino was patched, so lines reach the Logs SDK as well as the destination', async () => {
    exporter.reset();
    const capture = captureLines();
    logger.createLogger({ destination: capture.destination }).info('hello bridge');
    const records = await forwarded();
    expect(capture.lines).toHaveLength(1);
    expect(records.map((record) => record.body)).toEqual(['hello bridge']);
  });

  it('keeps severity, body, context attributes and trace correlation', async () => {
    exporter.reset();
    const capture = captureLines();
    const log = logger.createLogger({ destination: capture.destination, service: 'svc-b' }).child({ logger: 'bridge' });
    const span = trace.wrapSpanContext({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
    logger.withLogContext({ requestId: 'req-42', userId: 'user-42' }, () =>
      context.with(trace.setSpan(context.active(), span), () => {
        log.warn({ route: '/reviews' }, 'slow review');
        log.error(new Error('boom'));
      }),
    );
    const [warn, error] = await forwarded();
    expect(warn?.severityNumber).toBe(SeverityNumber.WARN);
    expect(warn?.severityText).toBe('warn');
    expect(warn?.body).toBe('slow review');
    expect(warn?.attributes).toMatchObject({ request_id: 'req-42', user_id: 'user-42', logger: 'bridge', service: 'svc-b', route: '/reviews' });
    // trace fields become the record's span context, not attributes; the level label is not an attribute
    expect(warn?.spanContext).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
    expect(warn?.attributes).not.toHaveProperty('trace_id');
    expect(warn?.attributes).not.toHaveProperty('level');
    expect(error?.severityNumber).toBe(SeverityNumber.ERROR);
    expect(error?.body).toBe('boom');
    // the timestamp is converted from pino's epoch-ms `time`, so it equals the line's
    const timeMs = (error?.hrTime[0] ?? 0) * 1000 + Math.round((error?.hrTime[1] ?? 0) / 1e6);
    expect(timeMs).toBe(capture.lines[1]?.time);
  });

  it('keeps trace correlation for an unsampled span', async () => {
    exporter.reset();
    const log = logger.createLogger({ destination: captureLines().destination });
    const span = trace.wrapSpanContext({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE });
    context.with(trace.setSpan(context.active(), span), () => log.info('unsampled'));
    const [record] = await forwarded();
    expect(record?.spanContext).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE });
  });

  it('forwards only masked data: the bridge parses the serialized line', async () => {
    exporter.reset();
    const capture = captureLines();
    const log = logger.createLogger({ destination: capture.destination });
    for (const sample of SECRET_CORPUS) {
      log.info({ detail: sample.text, headers: { authorization: sample.secret } }, sample.text);
      log.error({ err: new Error(sample.text) });
    }
    const records = await forwarded();
    expect(records).toHaveLength(SECRET_CORPUS.length * 2);
    const everything = JSON.stringify(records.map((record) => ({ body: record.body, attributes: record.attributes })));
    expect(everything).toContain('[REDACTED]');
    expect(findLeaks(everything)).toEqual([]);
    expect(findLeaks(capture.text())).toEqual([]);
  });
});
