import { describe, expect, it } from 'vitest';
import { ALERTMANAGER_RULES } from './alertmanager-defaults.ts';
import { diffTrees } from './diff.ts';
import { formatDriftReport } from './format.ts';
import { durationMs, formatDuration, normalise, type Tree } from './normalise.ts';
import { PROMETHEUS_RULES } from './prometheus-defaults.ts';
import { driftedObjects, exitCodeOf, type DriftReport } from './report.ts';

describe('durations', () => {
  it('reads and spells them as Prometheus does', () => {
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('24h')).toBe(86_400_000);
    expect(durationMs('page')).toBeUndefined();
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(90_000)).toBe('1m30s');
  });
});

describe('normalise', () => {
  it('keeps both of two list items with one name, the second by its occurrence', () => {
    const tree = normalise({ receivers: [{ name: 'a', x: 1 }, { name: 'a', x: 2 }] }, ALERTMANAGER_RULES);
    expect(tree).toEqual({ receivers: { a: { name: 'a', x: 1 }, 'a #2': { name: 'a', x: 2 } } });
  });

  it('treats 24h and 1d, and matchers with or without spaces, as the same', () => {
    const file = normalise({ route: { routes: [{ matchers: ['severity = "page"', 'team=core'], repeat_interval: '24h' }] } }, ALERTMANAGER_RULES);
    const server = normalise({ route: { routes: [{ matchers: ['team="core"', 'severity="page"'], repeat_interval: '1d', continue: false }] } }, ALERTMANAGER_RULES);
    expect(diffTrees(file, server)).toEqual([]);
  });

  it('drops what the server fills in, but not a non-default value in the same place', () => {
    const file = normalise({ scrape_configs: [{ job_name: 'a', static_configs: [{ targets: ['h:1'] }] }] }, PROMETHEUS_RULES);
    const server = normalise({ scrape_configs: [{ job_name: 'a', scheme: 'http', metrics_path: '/metrics', follow_redirects: true, static_configs: [{ targets: ['h:1'] }] }] }, PROMETHEUS_RULES);
    expect(diffTrees(file, server)).toEqual([]);
    const changed = normalise({ scrape_configs: [{ job_name: 'a', scheme: 'https', static_configs: [{ targets: ['h:1'] }] }] }, PROMETHEUS_RULES);
    expect(diffTrees(file, changed)).toEqual([{ path: 'scrape_configs.a.scheme', kind: 'unexpected', deployed: 'https' }]);
  });

  it('drops the integrations default templates and keeps ours', () => {
    const tree = normalise({ receivers: [{ name: 'r', slack_configs: [{ username: '{{ template "slack.default.username" . }}', title: '{{ template "lookout.title" . }}' }] }] }, ALERTMANAGER_RULES);
    expect(tree).toEqual({ receivers: { r: { name: 'r', slack_configs: [{ title: '{{ template "lookout.title" . }}' }] } } });
  });

  it('keeps the order of routes (first match wins) but not of targets', () => {
    const a = normalise({ route: { routes: [{ receiver: 'x' }, { receiver: 'y' }] }, scrape_configs: [{ job_name: 'j', static_configs: [{ targets: ['a:1', 'b:2'] }] }] } as Tree, ALERTMANAGER_RULES);
    const b = normalise({ route: { routes: [{ receiver: 'y' }, { receiver: 'x' }] }, scrape_configs: [{ job_name: 'j', static_configs: [{ targets: ['a:1', 'b:2'] }] }] } as Tree, ALERTMANAGER_RULES);
    expect(diffTrees(a, b).map((c) => c.path)).toEqual(['route.routes[0].receiver', 'route.routes[1].receiver']);
    const t1 = normalise({ scrape_configs: [{ job_name: 'j', static_configs: [{ targets: ['a:1', 'b:2'] }] }] }, PROMETHEUS_RULES);
    const t2 = normalise({ scrape_configs: [{ job_name: 'j', static_configs: [{ targets: ['b:2', 'a:1'] }] }] }, PROMETHEUS_RULES);
    expect(diffTrees(t1, t2)).toEqual([]);
  });

  it('compares where files are mounted by their last segments (npm start, compose and the repository differ)', () => {
    const repo = normalise({ rule_files: ['/repo/deploy/prometheus/rules/*.yml'] }, PROMETHEUS_RULES);
    const compose = normalise({ rule_files: ['/etc/prometheus/rules/*.yml'] }, PROMETHEUS_RULES);
    expect(diffTrees(repo, compose)).toEqual([]);
  });
});

describe('report', () => {
  const report = (statuses: ('in_sync' | 'drift' | 'unreadable')[]): DriftReport => ({
    checkedAt: '2026-01-01T00:00:00Z',
    results: statuses.map((status, i) => ({ component: i ? 'alertmanager' : 'prometheus', url: 'http://x', status, drifted: [] })),
  });

  it('exits 0 in sync, 1 on drift, 2 when a target is unreadable, whatever the others say', () => {
    expect(exitCodeOf(report(['in_sync', 'in_sync']))).toBe(0);
    expect(exitCodeOf(report(['in_sync', 'drift']))).toBe(1);
    expect(exitCodeOf(report(['drift', 'unreadable']))).toBe(2);
  });

  it('reports one object per scrape job and names each change', () => {
    const objects = driftedObjects('prometheus', normalise({ scrape_configs: [{ job_name: 'a', metrics_path: '/m' }, { job_name: 'b' }] }, PROMETHEUS_RULES), normalise({ scrape_configs: [{ job_name: 'a', metrics_path: '/n' }], extra: 1 }, PROMETHEUS_RULES), ['scrape_configs']);
    expect(objects.map((o) => [o.section, o.object])).toEqual([['other', 'extra'], ['scrape_configs', 'scrape_configs/a'], ['scrape_configs', 'scrape_configs/b']]);
    const text = formatDriftReport({ checkedAt: '', results: [{ component: 'prometheus', url: 'http://p', status: 'drift', drifted: objects }] });
    expect(text).toContain('~ metrics_path: repository "/m", deployed "/n"');
    expect(text).toContain('- (whole object): in the repository, not deployed');
  });
});

describe('secrets in a diff', () => {
  it('never shows a value under a secret-named key, nor secret-shaped text', () => {
    const changes = diffTrees({ basic_auth: { password: 'hunter2' }, url: 'https://x' }, { basic_auth: { password: 'swordfish' }, url: 'https://x?token=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' });
    expect(JSON.stringify(changes)).not.toMatch(/hunter2|swordfish|ghp_0123456789/);
    expect(changes.map((c) => c.path)).toEqual(['basic_auth.password', 'url']);
  });
});
