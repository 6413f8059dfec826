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
  sample('docker-pat', 'dckr_pat_2b3e36beeb386dfdaacb9b46004', 'docker login -p {}'),
  sample('huggingface-org', 'api_org_koC7FRI326Zz4SWPySef449kMCkSV20CtJ', 'org token {}'),
  sample('gitlab-feed', 'glft-MEgazO-YOwri0qkQWaO7', 'feed {}'),
  sample('shopify', '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', 'shop admin {}'),
  sample('pypi', 'pypi-AgEIcHlwaS5vcmcfKUKSkpfositrvwTCZcsK66PvGbK33AvcTTLm_V1TPfMbMOrhO', 'twine upload -p {}'),
  sample('digitalocean', 'dop_v1_f8b4c0bf8e704eb5a6162ac20172de3d4a5152cdffc0268bbc9387abb50cd107', 'doctl auth {}'),
  sample('grafana-service-account', 'glsa_RBcynXMgWJoleSrcBrFwMOUdGDxnvsDE_f75eb567', 'grafana {}'),
  sample('grafana-cloud', 'glc_aIRwEbfFoUtdPJpD9+TH4u5LfJQ4BKGdadqI1rEz==', 'cloud {}'),
  sample('postman', 'PMAK-df181dd2c6bbc504012d6c3b-698f36c72dba2a42995db506fef51ae7a3', 'collection run with {}'),
  sample('linear', 'lin_api_8oa9xxr2mSBsoH6jG5SvkGDyMG1TpDDY2d1XoAIS', 'linear {}'),
  sample('age', 'AGE-SECRET-KEY-1EURXNKP5LHN2G7WGSLZMHJ6JC5FGSZC6MS46CLCET2DS83RKNGNDPNZQ2V', 'identity {}'),
  sample('planetscale', 'pscale_tkn_kmTZs7mlXtI3bM6gxRFImCgHaPiZzGFOsDwO1y2A5Hb', 'pscale {}'),
  sample('databricks', 'dapi804fb3dcb24b173d21070307f6eada7c', 'workspace {}'),
  sample('pulumi', 'pul-2a1b493f480673fdacaacfa6b27ac84e88ad33f5', 'stack {}'),
  sample('heroku', 'HRKU-AAUtJWQNVTQ6jwZAPUSsLRQYfQjmGu_lNv4DKiDyzJpBx9N6q9Y47XUIzE_R', 'heroku {}'),
  sample('openshift', 'sha256~TZNrdjLXL9t1OwH20gsg5oNFuApW_NlysDWGUyqAnEH', 'oc login --token {}'),
  // No prefix, no key name: only the high-entropy rule can see these.
  sample('aws-secret-key-alone', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'copied {} from the console'),
  sample('random-base64-40', 'EApliw3RIf3CVORgO9ACim9/uz7XRyrv85toz0Bw', 'secret:{}'),
  sample('random-alnum-40', 'qNeuE7RCHfBPz6mk926KPlPKjfISkUuOLQkcoEU2', '{}'),
  sample('random-alnum-32', 'FV4ik6f28DMSJJoj7FY6j5rHJMpH3Oqq', 'client "{}" registered'),
  sample('random-base64-64', 'kYuId2f5qz3xhcbpsZMAl4lwLiuZdQbtnkbIVHMTpv4m30VJUnnPJDPG99RapkZa', 'signing material {}=='),
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
  // The false-positive classes of the high-entropy rule: ids, digests and encodings that are long
  // and random-looking but no secret.
  { name: 'traceparent', text: 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  { name: 'trace-and-span-id', text: 'trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331' },
  { name: 'uuid-v7', text: 'event 01936f2e-8b4a-7c3d-9e0f-1a2b3c4d5e6f recorded' },
  { name: 'review-id', text: 'review 6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b done (job review:6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b)' },
  { name: 'sha1-hex', text: 'sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709' },
  { name: 'sha256-hex-upper', text: 'SHA256: E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' },
  { name: 'audit-hash-chain', text: 'prev_hash=0000000000000000000000000000000000000000000000000000000000000000 hash=5f2b1d0c9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c' },
  { name: 'base64-of-text', text: 'data VGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZyAxMjMgdGltZXMu' },
  { name: 'base64-of-text-padded', text: 'note=TG9va291dCByZXZpZXdzIGRpZmZzIGFuZCByZXBvcnRzIGZpbmRpbmdzIQ==' },
  { name: 'base64-of-multiline-text', text: 'file TGluZSBvbmUKTGluZSB0d28gd2l0aCA0MiBpdGVtcwpMaW5lIHRocmVlCg== attached' },
  { name: 'base64-of-json', text: 'state eyJwYWdlIjoyLCJzb3J0IjoiZGVzYyIsImZpbHRlciI6Im9wZW4ifQ' },
  { name: 'long-identifier', text: 'at ReviewPipelineV2ConfigurationProviderFactory.create (pipeline.ts:42:7)' },
  { name: 'long-path', text: 'open /Users/Alice/Projects2024/LookoutObservability/packages/Logger2/src' },
  { name: 'prose', text: 'The reviewer found 3 issues in 42 files; see the digest for the 2026 roadmap and next steps.' },
  { name: 'code', text: 'const reviewId = randomUUID(); await queue.add("review", { reviewId, diff }, { attempts: 3 });' },
];

/** Names of the samples whose secret appears in `output` (e.g. a whole captured log). */
export function findLeaks(output: string, corpus: readonly SecretSample[] = SECRET_CORPUS): string[] {
  return corpus.filter((entry) => output.includes(entry.secret)).map((entry) => entry.name);
}
