import { afterEach, describe, expect, it } from 'vitest';
import { createInstruments, DRIFT_COMPONENTS, DRIFT_SECTIONS } from '@lookout/catalog';
import { createTestMeter, type TestMeter } from '@lookout/catalog/testing';
import { COMPONENTS, SECTIONS, type DriftReport } from '@lookout/deploy-config';
import { loadDriftConfig, observeDriftReport } from './drift-job.ts';

describe('drift job', () => {
  let meter: TestMeter | undefined;
  afterEach(() => meter?.shutdown());

  it('uses the inventory label values the check produces, no more, no less', () => {
    expect([...DRIFT_COMPONENTS].sort()).toEqual([...COMPONENTS].sort());
    expect([...DRIFT_SECTIONS].sort()).toEqual([...new Set(Object.values(SECTIONS).flat())].sort());
  });

  it('is off without a target, and reads interval and URLs from the environment', () => {
    expect(loadDriftConfig({})).toBeUndefined();
    expect(loadDriftConfig({ LOOKOUT_PROMETHEUS_URL: 'http://127.0.0.1:9090', LOOKOUT_DRIFT_INTERVAL_MS: '2000' })).toEqual({ urls: { prometheus: 'http://127.0.0.1:9090', alertmanager: undefined }, dataDir: undefined, intervalMs: 2000 });
    expect(loadDriftConfig({ LOOKOUT_ALERTMANAGER_URL: 'http://127.0.0.1:9093' })?.intervalMs).toBe(300_000);
    expect(() => loadDriftConfig({ LOOKOUT_PROMETHEUS_URL: 'prometheus:9090' })).toThrow(/LOOKOUT_PROMETHEUS_URL is invalid/);
  });

  it('exports drift per section, success per component, and no drift value for an unreadable one', async () => {
    meter = createTestMeter();
    const state: { report?: DriftReport } = {};
    const stop = observeDriftReport(createInstruments(meter.meter, 'worker'), () => state.report);
    expect(await meter.points('lookout.config.drift')).toEqual([]);
    state.report = {
      checkedAt: '2026-11-30T00:00:00.000Z',
      results: [
        { component: 'prometheus', url: 'http://p', status: 'drift', drifted: [
          { section: 'rule_groups', object: 'rule_groups/a.yml/x', changes: [] },
          { section: 'rule_groups', object: 'rule_groups/a.yml/y', changes: [] },
        ] },
        { component: 'alertmanager', url: 'http://a', status: 'unreadable', error: 'down', drifted: [] },
      ],
    };
    const drift = await meter.points('lookout.config.drift');
    expect(drift.filter((p) => p.value !== 0).map((p) => [p.attributes.component, p.attributes.object, p.value])).toEqual([['prometheus', 'rule_groups', 2]]);
    expect(drift.length).toBe(DRIFT_SECTIONS.length);
    expect(drift.every((p) => p.attributes.component === 'prometheus')).toBe(true);
    const success = await meter.points('lookout.drift.check.success');
    expect(Object.fromEntries(success.map((p) => [p.attributes.component, p.value]))).toEqual({ prometheus: 1, alertmanager: 0 });
    expect((await meter.points('lookout.drift.check.timestamp'))[0]?.value).toBe(Date.parse('2026-11-30T00:00:00Z') / 1000);
    stop();
  });
});
