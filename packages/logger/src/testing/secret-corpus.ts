/**
 * Secret shapes that must never reach a log line, and look-alikes that must survive unmasked.
 * Shared with end-to-end tests (import from "@lookout/logger/testing"): send each `text` through a
 * service, then check its logs with findLeaks(). Every value here is fake, made for these tests.
 */
export interface SecretSample {
  /** What kind of secret this is; unique. */
  name: string;
  /** A realistic string that carries the secret (a header, a URL, an error message...). */
  text: string;
  /** The part that must not appear anywhere in the output. */
  secret: string;
}

export interface SafeSample {
  name: string;
  /** Must come out of masking exactly as it went in. */
  text: string;
}

const sample = (name: string, secret: string, text = secret): SecretSample => ({ name, text: text.replace('{}', secret), secret });

export const SECRET_CORPUS: readonly SecretSample[] = [
  sample('bearer-opaque', '9f8e7d6c5b4a3f2e1d0c9b8a', 'Authorization: Bearer {}'),
  sample('bearer-jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTQyIn0.Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA', 'authorization=Bearer {}'),
  sample('basic-auth', 'YWxpY2U6czNjcjN0UGFzcw==', 'Authorization: Basic {}'),
  sample('jwt-in-text', 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJpYXQiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLWJ5dGVzLTAxMjM0NQ', 'rejected id {} from issuer'),
  sample('aws-access-key-id', 'AKIAIOSFODNN7EXAMPLE', 'using key {} for s3'),
  sample('aws-sts-key-id', 'ASIAY34FZKBOKMUTVV7A', 'assumed role with {}'),
  sample('aws-secret-access-key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key={}'),
  sample('gcp-api-key', 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', 'maps call with key {} failed'),
  sample('github-pat-classic', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'git clone with {}'),
  sample('github-oauth', 'gho_16C7e42F292c6912E7710c838347Ae178B4a', 'oauth {}'),
  sample('github-app-install', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a', 'installation {} expires soon'),
  sample('github-fine-grained', 'github_pat_11ABCDEFG0123456789abcd_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP', 'push with {}'),
  sample('gitlab-pat', 'glpat-xX1yY2zZ3aA4bB5cC6dD', 'gitlab said 401 for {}'),
  sample('slack-bot', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'slack bot {}'),
  sample('slack-user', 'xoxp-123456789012-123456789012-123456789012-0123456789abcdef0123456789abcdef', 'slack user {}'),
  sample('slack-app', 'xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef', 'socket mode {}'),
  sample('slack-webhook', 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'posting to https://hooks.slack.com/services/{}'),
  sample('telegram-bot', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0', 'https://api.telegram.org/bot{}/sendMessage'),
  sample('stripe-live', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'stripe key {}'),
  sample('stripe-restricted', 'rk_live_51H8abcDEFghiJKLmnoPQRstu', 'restricted {}'),
  sample('stripe-webhook-secret', 'whsec_5f3b2a1c9d8e7f6a5b4c3d2e1f0a9b8c', 'verify with {}'),
  sample('openai', 'sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90', 'OPENAI key {} rejected'),
  sample('anthropic', 'sk-ant-api03-Zy98Xw76Vu54Ts32Rq10Po98Nm76Lk54Ji32Hg10', 'calling claude with {}'),
  sample('npm', 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', '//registry.npmjs.org/:_authToken={}'),
  sample('pem-rsa', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MaTf1AbCdEfGh\n-----END RSA PRIVATE KEY-----', 'loaded key:\n{}\n'),
  sample('pem-openssh', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n-----END OPENSSH PRIVATE KEY-----'),
  sample('sendgrid', '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', 'mail via {}'),
  sample('twilio-api-key', 'SK0123456789abcdef0123456789abcdef', 'twilio {} ok'),
  sample('google-oauth-access', 'ya29.a0AfH6SMBx1y2z3A4B5C6D7E8F9G0H1I2J3K4L5M6N7O8P9', 'google access {}'),
  sample('google-oauth-refresh', '1//0gAbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'refresh with {}'),
  sample('azure-storage-key', 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==', 'DefaultEndpointsProtocol=https;AccountName=lookout;AccountKey={};EndpointSuffix=core.windows.net'),
  sample('url-password', 's3cr3tP4ss', 'postgres://lookout:{}@db.internal:5432/reviews'),
  sample('url-password-no-user', 'hunter2secret', 'redis://:{}@127.0.0.1:6379/0'),
  sample('query-token', 'q9w8e7r6t5y4', 'GET /callback?token={}&page=2'),
  sample('query-api-key', 'k3y-v4lu3-123', 'GET /v1/items?page=1&api_key={}'),
  sample('query-password', 'pa55w0rd!', 'POST /login?user=ann&password={}'),
  sample('json-password-in-text', 'correct-horse-battery', 'body was {"user":"ann","password":"{}"}'),
  sample('env-db-password', 'Tr0ub4dor3x', 'DB_PASSWORD={} PORT=5432'),
  sample('x-api-key-header', 'a1b2c3d4e5f6a7b8', 'x-api-key: {}'),
  sample('cookie-session', 'ZXlKd1lYTnpJam9pTVRJeiJ9', 'Cookie: session={}'),
  sample('huggingface', 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567', 'hub login {}'),
  sample('discord-webhook', 'AbCdEf-0123456789_GhIjKlMnOpQrStUvWxYz', 'https://discord.com/api/webhooks/123456789012345678/{}'),
  sample('lookout-api-key', 'lk_0123456789abcdef_Zm9vYmFyYmF6cXV4LXNlY3JldC12YWx1ZS0xMjM0NTY', 'MCP_TOKEN={} npx mcp-client'),
  sample('vault-token', 'hvs.CAESIJlU5Ttq1Abcdefghijklmnopqrstuv', 'vault {}'),
];

export const SAFE_CORPUS: readonly SafeSample[] = [
  { name: 'git-sha', text: 'deployed commit 3f786850e387550fdab836ed7e6dc881de23001b' },
  { name: 'sha256', text: 'digest sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
  { name: 'uuid', text: 'request 123e4567-e89b-12d3-a456-426614174000 done' },
  { name: 'word-tokenizer', text: 'tokenizer loaded: bpe, max_tokens=4096' },
  { name: 'password-policy', text: 'password_policy_version=3 passwordless=true' },
  { name: 'base64-text', text: 'payload SGVsbG8sIHdvcmxkISBUaGlzIGlzIGZpbmUu' },
  { name: 'url-without-credentials', text: 'GET https://example.com:8443/api/v1/reviews?page=2&sort=desc' },
  { name: 'localhost-port', text: 'listening on http://127.0.0.1:3000/health' },
  { name: 'unix-path', text: 'read /home/app/.config/lookout/settings.yaml' },
  { name: 'windows-path', text: 'read C:\\Users\\app\\AppData\\lookout\\keys.txt' },
  { name: 'bearer-word', text: 'Bearer token required for /reviews' },
  { name: 'basic-word', text: 'Basic authentication is disabled' },
  { name: 'password-prose', text: 'the password is too short' },
  { name: 'bypass-flag', text: 'cache bypass=true' },
  { name: 'hyphenated-sk', text: 'disk-usage-monitoring-service-1 is healthy' },
  { name: 'email-like', text: 'mailbox for reviewer@example.com' },
  { name: 'iso-time', text: 'at 2026-11-28T13:54:30.710Z took 12ms' },
  { name: 'short-akia', text: 'AKIA12 is not a key' },
];

/** Names of the samples whose secret appears in `output` (e.g. a whole captured log). */
export function findLeaks(output: string, corpus: readonly SecretSample[] = SECRET_CORPUS): string[] {
  return corpus.filter((entry) => output.includes(entry.secret)).map((entry) => entry.name);
}
