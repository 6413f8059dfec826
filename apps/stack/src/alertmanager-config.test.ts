import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { missingPart } from '@lookout/testkit';
import { NOWHERE, PLACEHOLDER_BOT_TOKEN, renderAlertmanagerConfig } from '@lookout/deploy-config';
import { binaryPath } from './binaries.ts';
import { REPO_ROOT } from './testing.ts';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-am-config-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Rendered {
  templates: string[];
  route: { group_wait: string; group_interval: string };
  receivers: { name: string; slack_configs?: { api_url_file: string }[]; telegram_configs?: { bot_token_file: string; chat_id_file: string; api_url?: string }[] }[];
}
const render = (dir: string, options: Partial<Parameters<typeof renderAlertmanagerConfig>[0]> = {}) =>
  parse(readFileSync(renderAlertmanagerConfig({ repoRoot: REPO_ROOT, outFile: join(dir, 'alertmanager.yml'), ...options }), 'utf8')) as Rendered;
const receiver = (config: Rendered, name: string) => config.receivers.find((r) => r.name === name)!;

describe('renderAlertmanagerConfig', () => {
  it('moves every secret file into the data dir and writes placeholders pointing nowhere (a closed loopback port)', () => {
    const dir = scratch();
    const config = render(dir);
    const slack = receiver(config, 'slack-page').slack_configs![0]!.api_url_file;
    expect(slack).toBe(join(dir, 'secrets', 'slack-page-webhook-url'));
    expect(readFileSync(slack, 'utf8').trim()).toBe(`${NOWHERE}/slack/slack-page-webhook-url`);
    expect(statSync(slack).mode & 0o777).toBe(0o600);
    const telegram = receiver(config, 'telegram-page').telegram_configs![0]!;
    expect(readFileSync(telegram.bot_token_file, 'utf8').trim()).toBe(PLACEHOLDER_BOT_TOKEN);
    expect(readFileSync(telegram.chat_id_file, 'utf8').trim()).toBe('1');
    expect(telegram.api_url).toBe(`${NOWHERE}/telegram`);
    expect(config.templates).toEqual([join(REPO_ROOT, 'deploy', 'alertmanager', 'templates', '*.tmpl')]);
  });

  it('keeps secrets the user put there, and then talks to the real Telegram API', () => {
    const dir = scratch();
    render(dir);
    writeFileSync(join(dir, 'secrets', 'slack-page-webhook-url'), 'https://hooks.slack.invalid/services/REAL\n');
    writeFileSync(join(dir, 'secrets', 'telegram-bot-token'), '123:real-token\n');
    const config = render(dir, { receiverUrl: 'http://127.0.0.1:5555' });
    expect(readFileSync(join(dir, 'secrets', 'slack-page-webhook-url'), 'utf8')).toBe('https://hooks.slack.invalid/services/REAL\n');
    expect(receiver(config, 'telegram-page').telegram_configs![0]!.api_url).toBeUndefined();
    // The rendered config names files only: no secret is copied into it.
    expect(readFileSync(join(dir, 'alertmanager.yml'), 'utf8')).not.toMatch(/REAL|real-token/);
  });

  it('points placeholders at a recorder and shortens the group timings when a test asks', () => {
    const dir = scratch();
    const config = render(dir, { receiverUrl: 'http://127.0.0.1:5555', timing: { group_wait: '1s', group_interval: '2s' } });
    expect(readFileSync(join(dir, 'secrets', 'slack-tickets-webhook-url'), 'utf8').trim()).toBe('http://127.0.0.1:5555/slack/slack-tickets-webhook-url');
    expect(config.route).toMatchObject({ group_wait: '1s', group_interval: '2s' });
  });
});

const amtool = binaryPath(REPO_ROOT, { component: 'alertmanager', command: 'amtool' });
const skip = missingPart('amtool', existsSync(amtool), `build it with \`bash scripts/backends/build.sh alertmanager\` (looked for ${amtool})`);

describe.skipIf(skip)('amtool (real binary)', () => {
  it('accepts the copy npm start runs', async () => {
    const file = renderAlertmanagerConfig({ repoRoot: REPO_ROOT, outFile: join(scratch(), 'alertmanager.yml'), timing: { group_wait: '1s' } });
    const result = await new Promise<{ ok: boolean; output: string }>((done) => execFile(amtool, ['check-config', file], (error, stdout, stderr) => done({ ok: !error, output: stdout + stderr })));
    expect(result.ok, result.output).toBe(true);
  });
});
