import { afterEach, describe, expect, it } from 'vitest';
import { createInstruments } from '@lookout/catalog';
import { createTestMeter, type TestMeter } from '@lookout/catalog/testing';
import { createLogger } from '@lookout/logger';
import { startQueueGauges, type QueueGaugesOptions } from './queue-gauges.ts';

function fakeQueue(counts: Record<string, number>, oldestTimestamp?: number) {
  const calls = { counts: 0, waiting: 0 };
  let failing = false;
  const queue: QueueGaugesOptions['queue'] = {
    name: 'reviews',
    getJobCounts: async () => {
      calls.counts++;
      if (failing) throw new Error('connect ECONNREFUSED redis://:hunter2@127.0.0.1:6379');
      return counts;
    },
    getWaiting: (async () => {
      calls.waiting++;
      return oldestTimestamp === undefined ? [] : [{ timestamp: oldestTimestamp }];
    }) as unknown as QueueGaugesOptions['queue']['getWaiting'],
  };
  return { queue, calls, fail: () => (failing = true) };
}

const logged: string[] = [];
const silent = createLogger({ destination: { write: (line: string) => void logged.push(line) } });

describe('queue gauges', () => {
  let meter: TestMeter | undefined;
  afterEach(() => meter?.shutdown());

  it('observes depth by state and the oldest waiting age, one Redis read per refresh', async () => {
    meter = createTestMeter();
    const instruments = createInstruments(meter.meter, 'worker');
    let now = 100_000;
    const { queue, calls } = fakeQueue({ waiting: 3, active: 1, delayed: 2, failed: 4 }, 100_000 - 7_500);
    const stop = startQueueGauges({ queue, instruments, refreshMs: 5000, now: () => now, logger: silent });

    const depth = await meter.points('lookout.queue.depth');
    const byState = Object.fromEntries(depth.map((p) => [p.attributes.state, p.value]));
    expect(byState).toEqual({ waiting: 3, active: 1, delayed: 2, failed: 4 });
    expect(depth.every((p) => p.attributes['messaging.destination.name'] === 'reviews')).toBe(true);
    expect((await meter.points('lookout.queue.oldest_waiting_job.age'))[0]?.value).toBe(7.5);
    // Three collections so far (two above, one here) inside one refresh interval: one read.
    await meter.collect();
    expect(calls).toEqual({ counts: 1, waiting: 1 });

    now += 5000;
    await meter.collect();
    expect(calls).toEqual({ counts: 2, waiting: 2 });

    stop();
    now += 5000;
    await meter.collect();
    expect(calls.counts).toBe(2);
  });

  it('reports age 0 when nothing waits, and records no new value while Redis is away', async () => {
    meter = createTestMeter();
    const instruments = createInstruments(meter.meter, 'worker');
    let now = 0;
    const { queue, fail } = fakeQueue({ waiting: 0 });
    startQueueGauges({ queue, instruments, refreshMs: 1000, now: () => now, logger: silent });
    expect((await meter.points('lookout.queue.oldest_waiting_job.age'))[0]?.value).toBe(0);
    const depth = await meter.points('lookout.queue.depth');
    expect(depth.find((p) => p.attributes.state === 'failed')?.value).toBe(0);

    fail();
    now += 1000;
    // The SDK keeps reporting a gauge's last value; what matters is no made-up value and no throw.
    const during = await meter.points('lookout.queue.depth');
    expect(during.find((p) => p.attributes.state === 'waiting')?.value).toBe(0);
    const warning = logged.find((line) => line.includes('could not read the queue'));
    expect(warning).toBeDefined();
    expect(warning).not.toContain('hunter2');
  });
});
