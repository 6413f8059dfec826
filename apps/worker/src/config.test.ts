import { describe, expect, it } from 'vitest';
import { ConfigError, loadWorkerConfig } from './config.ts';

describe('worker config', () => {
  it('has documented defaults', () => {
    expect(loadWorkerConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6390',
      port: 4102,
      host: '127.0.0.1',
      concurrency: 2,
      gaugeRefreshMs: 5000,
      sloReports: { cron: '0 10 0 * * *', periodSeconds: 86_400, stepSeconds: 3600, dir: '.data/reports', prometheusUrl: 'http://127.0.0.1:9090' },
    });
  });

  it('reads the SLO report schedule, and refuses a bad duration or pattern naming the variable', () => {
    const config = loadWorkerConfig({ LOOKOUT_SLO_REPORT_CRON: '*/5 * * * * *', LOOKOUT_SLO_REPORT_PERIOD: '10s', LOOKOUT_SLO_REPORT_STEP: '5s', LOOKOUT_SLO_REPORT_DIR: '/var/reports', LOOKOUT_PROMETHEUS_URL: 'http://prom:9090/' });
    expect(config.sloReports).toEqual({ cron: '*/5 * * * * *', periodSeconds: 10, stepSeconds: 5, dir: '/var/reports', prometheusUrl: 'http://prom:9090' });
    expect(() => loadWorkerConfig({ LOOKOUT_SLO_REPORT_PERIOD: 'daily' })).toThrow(/LOOKOUT_SLO_REPORT_PERIOD/);
    expect(() => loadWorkerConfig({ LOOKOUT_SLO_REPORT_CRON: 'every day' })).toThrow(/LOOKOUT_SLO_REPORT_CRON/);
  });

  it('reads the environment', () => {
    const config = loadWorkerConfig({ REDIS_URL: 'redis://:pw@10.0.0.1:6380/2', PORT: '0', LOOKOUT_WORKER_CONCURRENCY: '4', LOOKOUT_QUEUE_GAUGE_REFRESH_MS: '' });
    expect(config).toMatchObject({ redisUrl: 'redis://:pw@10.0.0.1:6380/2', port: 0, concurrency: 4, gaugeRefreshMs: 5000 });
  });

  it('names the bad variable without quoting its value', () => {
    expect(() => loadWorkerConfig({ LOOKOUT_WORKER_CONCURRENCY: 'lots' })).toThrow(/LOOKOUT_WORKER_CONCURRENCY/);
    expect(() => loadWorkerConfig({ PORT: '70000' })).toThrow(ConfigError);
    let message = '';
    try {
      loadWorkerConfig({ REDIS_URL: 'http://user:hunter2@host' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('REDIS_URL');
    expect(message).not.toContain('hunter2');
  });
});
