// deploy/alertmanager/alertmanager.yml on the real amtool: valid, routed as the issue asks, secrets
// only through files, and messages built only from named fields.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { missingPart } from '@lookout/testkit';
import { ALERTMANAGER_DIR, buildHint, tool } from './paths.ts';
import { runTool } from './tools.ts';

const CONFIG = join(ALERTMANAGER_DIR, 'alertmanager.yml');
const config = parse(readFileSync(CONFIG, 'utf8')) as {
  route: { group_by: string[]; routes: { matchers: string[]; receiver: string; continue?: boolean }[] };
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
  receivers: { name: string; slack_configs?: Record<string, unknown>[]; telegram_configs?: Record<string, unknown>[] }[];
};

describe('deploy/alertmanager/alertmanager.yml', () => {
  it('groups by alertname, slo and service, and lets a page inhibit the ticket of the same SLO', () => {
    expect(config.route.group_by).toEqual(['alertname', 'slo', 'service']);
    expect(config.inhibit_rules).toEqual([
      { source_matchers: ['severity="page"'], target_matchers: ['severity="ticket"'], equal: ['alertname', 'slo', 'service'] },
    ]);
  });

  it('takes every webhook URL, bot token and chat id from a file, never inline', () => {
    const configs = config.receivers.flatMap((r) => [...(r.slack_configs ?? []), ...(r.telegram_configs ?? [])]);
    expect(configs).toHaveLength(3);
    for (const c of configs) {
      expect(c).not.toHaveProperty('api_url');
      expect(c).not.toHaveProperty('bot_token');
      expect(c).not.toHaveProperty('chat_id');
      expect(c.send_resolved).toBe(true);
      for (const [key, value] of Object.entries(c)) if (key.endsWith('_file')) expect(value, key).toMatch(/^\/etc\/alertmanager\/secrets\/[a-z-]+$/);
    }
    const text = readFileSync(CONFIG, 'utf8');
    expect(text).not.toMatch(/hooks\.slack\.com|api\.telegram\.org|\d{8,10}:AA/);
  });

  it('prints only named labels and annotations in messages, never all of them', () => {
    const template = readFileSync(join(ALERTMANAGER_DIR, 'templates', 'lookout.tmpl'), 'utf8');
    const fields = [...template.matchAll(/\.(Labels|Annotations|CommonLabels|CommonAnnotations)(\.\w+)?/g)];
    expect(fields.length).toBeGreaterThan(10);
    for (const [whole, , name] of fields) expect(name, `${whole} prints a whole map`).toBeDefined();
    const named = new Set(fields.map((f) => f[2]!.slice(1)));
    expect([...named].sort()).toEqual(['alertname', 'dashboard_url', 'runbook_url', 'service', 'severity', 'slo', 'summary']);
  });
});

const amtool = tool('amtool');
const skip = missingPart('amtool', amtool.present, buildHint(amtool));

describe.skipIf(skip)('amtool (real binary)', () => {
  it('check-config accepts the config and its template', async () => {
    const result = await runTool(amtool.path, ['check-config', CONFIG]);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('3 receivers');
    expect(result.output).toContain('1 templates');
  });

  it.each([
    ['severity=page', 'slack-page,telegram-page'],
    ['severity=ticket', 'slack-tickets'],
    ['severity=page alertname=McpToolCallAvailabilityBudgetBurn slo=tool-call-availability service=mcp-server', 'slack-page,telegram-page'],
    ['severity=info', 'slack-tickets'],
  ])('routes %s to %s', async (labels, receivers) => {
    const result = await runTool(amtool.path, ['config', 'routes', 'test', `--config.file=${CONFIG}`, `--verify.receivers=${receivers}`, ...labels.split(' ')]);
    expect(result.ok, result.output).toBe(true);
    expect(result.output.trim()).toBe(receivers);
  });

  it('fails a route test that expects the ticket channel to get a page', async () => {
    const result = await runTool(amtool.path, ['config', 'routes', 'test', `--config.file=${CONFIG}`, '--verify.receivers=slack-tickets', 'severity=page']);
    expect(result.ok).toBe(false);
  });
});
