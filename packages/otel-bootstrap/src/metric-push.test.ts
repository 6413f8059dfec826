import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { startMetricPusher } from './metric-push.ts';

const resourceMetrics = (points: number) =>
  ({ resource: {}, scopeMetrics: points === 0 ? [] : [{ scope: { name: 's' }, metrics: [{ dataPoints: Array(points).fill({}) }] }] }) as unknown as ResourceMetrics;

function fakeExporter(answer: 'ok' | 'never' = 'ok') {
  const exported: ResourceMetrics[] = [];
  const calls = { forceFlush: 0, shutdown: 0 };
  const exporter = {
    export(metrics: ResourceMetrics, done: (result: { code: number }) => void) {
      exported.push(metrics);
      if (answer === 'ok') done({ code: 0 });
    },
    forceFlush: async () => void calls.forceFlush++,
    shutdown: async () => void calls.shutdown++,
  } as unknown as PushMetricExporter;
  return { exporter, exported, calls };
}

describe('startMetricPusher', () => {
  it('hands one collection of the reader to every exporter on flush, and a last one at shutdown', async () => {
    let collections = 0;
    const reader = { collect: async () => ({ resourceMetrics: resourceMetrics(++collections), errors: [] }) };
    const a = fakeExporter();
    const b = fakeExporter();
    const pusher = startMetricPusher({ reader, exporters: [a.exporter, b.exporter], intervalMillis: 600_000, timeoutMillis: 1000 });
    await pusher.forceFlush();
    expect(collections).toBe(1);
    expect(a.exported).toHaveLength(1);
    expect(b.exported[0]).toBe(a.exported[0]);
    await pusher.shutdown();
    await pusher.shutdown();
    expect(collections).toBe(2);
    expect(a.exported).toHaveLength(2);
    expect([a.calls.shutdown, b.calls.shutdown]).toEqual([1, 1]);
  });

  it('sends nothing when nothing was recorded, and collects nothing without exporters', async () => {
    let collections = 0;
    const reader = { collect: async () => ({ resourceMetrics: resourceMetrics(0 * ++collections), errors: [] }) };
    const a = fakeExporter();
    await startMetricPusher({ reader, exporters: [a.exporter], intervalMillis: 600_000, timeoutMillis: 1000 }).forceFlush();
    expect(a.exported).toEqual([]);
    await startMetricPusher({ reader, exporters: [], intervalMillis: 600_000, timeoutMillis: 1000 }).shutdown();
    expect(collections).toBe(1);
  });

  it('gives up on an exporter that never answers after the timeout, so shutdown still ends', async () => {
    const reader = { collect: async () => ({ resourceMetrics: resourceMetrics(1), errors: [] }) };
    const stuck = fakeExporter('never');
    const pusher = startMetricPusher({ reader, exporters: [stuck.exporter], intervalMillis: 600_000, timeoutMillis: 50 });
    await pusher.shutdown();
    expect(stuck.exported).toHaveLength(1);
    expect(stuck.calls.shutdown).toBe(1);
  });
});
