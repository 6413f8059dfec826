import type { Attributes, Meter } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TelemetryHealth } from './health.ts';

type Add = { count: number; attributes: Attributes | undefined };

function fakeMeter(adds: Add[]): Meter {
  return {
    createCounter: () => ({ add: (count: number, attributes?: Attributes) => adds.push({ count, attributes }) }),
  } as unknown as Meter;
}

const SUCCESS = { code: 0 };
const FAILURE = { code: 1, error: new Error('connect ECONNREFUSED 127.0.0.1:4318') };

describe('TelemetryHealth', () => {
  let stderr: string[];
  beforeEach(() => {
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  const nonZero = (adds: Add[]) => adds.filter((a) => a.count > 0);

  it('starts every signal/reason series at zero', () => {
    const adds: Add[] = [];
    new TelemetryHealth().attach(fakeMeter(adds));
    expect(adds).toHaveLength(6);
    expect(adds.every((a) => a.count === 0)).toBe(true);
  });

  it('counts failed exports and warns once per outage, then logs the recovery', () => {
    const adds: Add[] = [];
    const health = new TelemetryHealth();
    health.attach(fakeMeter(adds));
    const results = [FAILURE, FAILURE, FAILURE, SUCCESS, FAILURE];
    const exporter = { export: (_items: number[], done: (r: { code: number; error?: Error }) => void) => done(results.shift()!) };
    const watched = health.watchExporter('traces', exporter, (items: number[]) => items.length);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) watched.export([1, 2, 3], (r) => seen.push(r.code));

    expect(seen).toEqual([1, 1, 1, 0, 1]);
    expect(nonZero(adds)).toEqual(Array(4).fill({ count: 3, attributes: { signal: 'traces', reason: 'export_failed' } }));
    const lines = stderr.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.msg)).toEqual([
      expect.stringMatching(/export failing/),
      'telemetry export recovered',
      expect.stringMatching(/export failing/),
    ]);
    expect(lines[0]).toMatchObject({ level: 'warn', component: 'otel-bootstrap', signal: 'traces' });
    expect(lines[1]).toMatchObject({ level: 'info', dropped: 9 });
  });

  it('treats an exporter that throws as a failed export', () => {
    const adds: Add[] = [];
    const health = new TelemetryHealth();
    health.attach(fakeMeter(adds));
    const exporter = {
      export: (_items: number[], _done: (r: { code: number }) => void): void => {
        throw new Error('boom');
      },
    };
    const codes: number[] = [];
    health.watchExporter('logs', exporter, (items: number[]) => items.length).export([1], (r) => codes.push(r.code));
    expect(codes).toEqual([1]);
    expect(nonZero(adds)).toEqual([{ count: 1, attributes: { signal: 'logs', reason: 'export_failed' } }]);
  });

  it('forwards only queue_full from the processors self-observability counters, warning once', () => {
    const adds: Add[] = [];
    const health = new TelemetryHealth();
    health.attach(fakeMeter(adds));
    const meter = health.queueOverflowMeterProvider('logs').getMeter('@opentelemetry/sdk-logs');
    const processed = meter.createCounter('otel.sdk.processor.log.processed');
    processed.add(5, { 'otel.component.type': 'batching_log_processor' });
    processed.add(1, { 'error.type': 'queue_full' });
    processed.add(1, { 'error.type': 'queue_full' });
    processed.add(2, { 'error.type': 'TimeoutError' });
    // Other instruments of that meter are inert no-ops.
    meter.createUpDownCounter('otel.sdk.processor.log.queue.capacity').add(2048);

    expect(nonZero(adds)).toEqual(Array(2).fill({ count: 1, attributes: { signal: 'logs', reason: 'queue_full' } }));
    expect(stderr.filter((line) => line.includes('queue full'))).toHaveLength(1);
  });
});
