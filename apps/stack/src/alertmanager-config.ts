// Alertmanager reads no environment variables, so `npm start` runs a copy of
// deploy/alertmanager/alertmanager.yml written into the data dir, with:
//   - every secret file (/etc/alertmanager/secrets/NAME) moved to <data dir>/alertmanager/secrets/NAME;
//   - a placeholder written for each such file that is missing, pointing at `receiverUrl` (default
//     a closed loopback port, so nothing leaves the machine; tests: a recorder) — a file the user
//     put there is never overwritten;
//   - Telegram's api_url pointed at `receiverUrl` too while its bot token is the placeholder;
//   - the templates path made absolute (the copy lives elsewhere);
//   - optionally shorter group timings (tests).
// Nothing else changes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse, stringify } from 'yaml';

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
  timing?: { group_wait?: string; group_interval?: string; repeat_interval?: string };
}

interface Receiver {
  name: string;
  slack_configs?: Record<string, unknown>[];
  telegram_configs?: Record<string, unknown>[];
}
interface AlertmanagerConfig {
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

/** Renders the copy and its placeholder secrets; returns the copy's path. */
export function renderAlertmanagerConfig({ repoRoot, outFile, receiverUrl = NOWHERE, timing }: AlertmanagerRenderOptions): string {
  const source = join(repoRoot, ALERTMANAGER_CONFIG);
  const config = parse(readFileSync(source, 'utf8')) as AlertmanagerConfig;
  const secretsDir = join(dirname(outFile), 'secrets');
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const secretFile = (path: string): string => {
    if (!path.startsWith(SECRETS_MOUNT)) return path;
    const name = path.slice(SECRETS_MOUNT.length);
    const local = join(secretsDir, name);
    if (!existsSync(local)) writeFileSync(local, `${placeholder(name, receiverUrl)}\n`, { mode: 0o600 });
    return local;
  };
  for (const receiver of config.receivers) {
    for (const notifier of [...(receiver.slack_configs ?? []), ...(receiver.telegram_configs ?? [])]) {
      for (const [key, value] of Object.entries(notifier)) if (key.endsWith('_file') && typeof value === 'string') notifier[key] = secretFile(value);
    }
    for (const telegram of receiver.telegram_configs ?? []) {
      const token = typeof telegram.bot_token_file === 'string' ? readFileSync(telegram.bot_token_file, 'utf8').trim() : '';
      if (token === PLACEHOLDER_BOT_TOKEN) telegram.api_url = `${receiverUrl}/telegram`;
    }
  }
  config.templates = (config.templates ?? []).map((glob) => (isAbsolute(glob) ? glob : join(dirname(source), glob)));
  if (timing) Object.assign(config.route, timing);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `# Written by apps/stack from ${ALERTMANAGER_CONFIG} (secrets from ${secretsDir}); edit that file, not this one.\n${stringify(config)}`);
  return outFile;
}
