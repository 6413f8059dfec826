// A stand-in for Slack and Telegram on loopback, for tests: it records every notification
// Alertmanager sends and answers as the real services do (Slack's incoming webhook: the body `ok`;
// Telegram's sendMessage: the JSON of a sent message), so Alertmanager counts them delivered.
import { createServer, type Server } from 'node:http';
import { listenLocally } from '@lookout/testkit';

export interface Notification {
  /** 'slack' or 'telegram'. */
  service: 'slack' | 'telegram';
  /** Which receiver: the Slack webhook's file name (slack-page-webhook-url, …) or 'telegram'. */
  receiver: string;
  path: string;
  /** The message text a person would read: Slack's title and text, Telegram's text. */
  text: string;
  /** The raw body, for secret checks. */
  body: string;
  at: number;
}

export interface AlertRecorder {
  url: string;
  readonly notifications: readonly Notification[];
  close(): Promise<void>;
}

const TELEGRAM_SENT = JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: 'private' } } });

function textOf(service: Notification['service'], body: string): string {
  try {
    const json = JSON.parse(body) as { text?: string; attachments?: { title?: string; title_link?: string; text?: string }[] };
    if (service === 'telegram') return json.text ?? '';
    return (json.attachments ?? []).map((a) => [a.title, a.title_link, a.text].filter(Boolean).join('\n')).join('\n');
  } catch {
    return new URLSearchParams(body).get('text') ?? body;
  }
}

export async function startAlertRecorder(): Promise<AlertRecorder> {
  const notifications: Notification[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      const slack = /^\/slack\/([\w-]+)/.exec(path);
      if (req.method === 'POST' && slack) {
        notifications.push({ service: 'slack', receiver: slack[1]!, path, text: textOf('slack', body), body, at: Date.now() });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      if (req.method === 'POST' && /^\/telegram\/bot[^/]+\/sendMessage$/.test(path)) {
        notifications.push({ service: 'telegram', receiver: 'telegram', path, text: textOf('telegram', body), body, at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' }).end(TELEGRAM_SENT);
        return;
      }
      res.writeHead(404).end();
    });
  });
  return { ...(await listenLocally(server)), notifications };
}
