// Alertmanager reads no environment variables, so `npm start` runs a copy of
// deploy/alertmanager/alertmanager.yml written into the data dir, with:
//   - every secret file (/etc/alertmanager/secrets/NAME) moved to <data dir>/alertmanager/secrets/NAME;
//   - a placeholder written for each such file that is missing, pointing at `receiverUrl` (default
//     a closed loopback port, so nothing leaves the machine; tests: a recorder) — a file the user
//     put there is never overwritten;
//   - Telegram's api_url pointed at `receiverUrl` too while its bot token is the placeholder;
//   - the templates path made absolute (the copy lives elsewhere);
//   - optionally shorter group timings (tests).
// Nothing else changes. render.json beside the copy records the options (render-record.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeRenderRecord, type AlertmanagerRender } from './render-record.ts';

export const ALERTMANAGER_CONFIG = join('deploy', 'alertmanager', 'alertmanager.yml');
/** Where the committed config expects its secret files (compose mounts deploy/alertmanager/secrets there). */
export const SECRETS_MOUNT = '/etc/alertmanager/secrets/';
/** A closed port on loopback (discard): placeholders send nowhere until real secrets are in place. */
export const NOWHERE = 'http://127.0.0.1:9';
/** The placeholder bot token; Telegram's api_url is redirected while it is in use. */
export const PLACEHOLDER_BOT_TOKEN = '000000000:lookout-local-placeholder';

export interface AlertmanagerRenderOptions {
  repoRoot: string;
  /** The copy's path; its folder gets `secrets/`. */
  outFile: string;
  /** Base URL placeholders point at (a Slack- and Telegram-like recorder in tests). Default NOWHERE. */
  receiverUrl?: string;
  /** Overrides the route's group_wait / group_interval / repeat_interval (tests). */
  timing?: AlertmanagerRender['timing'];
}

interface Receiver {
  name: string;
  slack_configs?: Record<string, unknown>[];
  telegram_configs?: Record<string, unknown>[];
}
export interface AlertmanagerConfig {
  templates?: string[];
  route: Record<string, unknown>;
  receivers: Receiver[];
}

/** What a missing secret file gets, by its name. */
function placeholder(name: string, receiverUrl: string): string {
  if (name.includes('bot-token')) return PLACEHOLDER_BOT_TOKEN;
  if (name.includes('chat-id')) return '1';
  // A Slack incoming-webhook URL, one path per file so the recorder can tell receivers apart.
  return `${receiverUrl}/slack/${name}`;
}

/** The repository's deploy/alertmanager/alertmanager.yml, parsed. */
export function readAlertmanagerSource(repoRoot: string): AlertmanagerConfig {
  return parse(readFileSync(join(repoRoot, ALERTMANAGER_CONFIG), 'utf8')) as AlertmanagerConfig;
}

const notifiersOf = (receiver: Receiver) => [...(receiver.slack_configs ?? []), ...(receiver.telegram_configs ?? [])];

/** True when the file holds the placeholder token (compared only; the token is never kept or shown). */
function holdsPlaceholderToken(file: unknown): boolean {
  return typeof file === 'string' && existsSync(file) && readFileSync(file, 'utf8').trim() === PLACEHOLDER_BOT_TOKEN;
}

/**
 * The stack's transformation without writing anything (the drift check's expectation): secret files
 * moved to `render.secretsDir`, Telegram's api_url redirected while its token is the placeholder,
 * templates made absolute, timings overridden.
 */
export function renderAlertmanager(source: AlertmanagerConfig, repoRoot: string, render: AlertmanagerRender): AlertmanagerConfig {
  const config = structuredClone(source);
  const { secretsDir, receiverUrl = NOWHERE } = render;
  for (const receiver of config.receivers) {
    for (const notifier of notifiersOf(receiver)) {
      for (const [key, value] of Object.entries(notifier)) {
        if (secretsDir && key.endsWith('_file') && typeof value === 'string' && value.startsWith(SECRETS_MOUNT)) notifier[key] = join(secretsDir, value.slice(SECRETS_MOUNT.length));
      }
    }
    for (const telegram of receiver.telegram_configs ?? []) if (holdsPlaceholderToken(telegram.bot_token_file)) telegram.api_url = `${receiverUrl}/telegram`;
  }
  const sourceDir = dirname(join(repoRoot, ALERTMANAGER_CONFIG));
  config.templates = (config.templates ?? []).map((glob) => (isAbsolute(glob) ? glob : join(sourceDir, glob)));
  if (render.timing) Object.assign(config.route, render.timing);
  return config;
}

/** Writes a placeholder for each secret file the config names that is missing in secretsDir. */
function writePlaceholders(source: AlertmanagerConfig, secretsDir: string, receiverUrl: string): void {
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  for (const notifier of source.receivers.flatMap(notifiersOf)) {
    for (const [key, value] of Object.entries(notifier)) {
      if (!key.endsWith('_file') || typeof value !== 'string' || !value.startsWith(SECRETS_MOUNT)) continue;
      const name = value.slice(SECRETS_MOUNT.length);
      const local = join(secretsDir, name);
      if (!existsSync(local)) writeFileSync(local, `${placeholder(name, receiverUrl)}\n`, { mode: 0o600 });
    }
  }
}

/** Renders the copy, its placeholder secrets and render.json; returns the copy's path. */
export function renderAlertmanagerConfig({ repoRoot, outFile, receiverUrl = NOWHERE, timing }: AlertmanagerRenderOptions): string {
  const source = readAlertmanagerSource(repoRoot);
  const secretsDir = join(dirname(outFile), 'secrets');
  writePlaceholders(source, secretsDir, receiverUrl);
  const render: AlertmanagerRender = { secretsDir, receiverUrl, ...(timing ? { timing } : {}) };
  const config = renderAlertmanager(source, repoRoot, render);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `# Written by apps/stack from ${ALERTMANAGER_CONFIG} (secrets from ${secretsDir}); edit that file, not this one.\n${stringify(config)}`);
  writeRenderRecord(outFile, render);
  return outFile;
}
