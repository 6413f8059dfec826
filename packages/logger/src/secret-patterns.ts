/**
 * Value patterns that mark a secret inside any string. Each rule keeps the harmless part of its match
 * (a scheme, a user name, a key name) so a masked line still tells what was there.
 *
 * Order matters: specific shapes run before the generic `key=value` rule, so e.g. `Authorization:
 * Bearer x` keeps "Bearer" and the generic rule then sees an already masked value and skips it.
 */
export interface SecretPattern {
  name: string;
  /** Global regex; case-insensitive rules carry the `i` flag. */
  pattern: RegExp;
  /** Replacement string for String.prototype.replace (may use $1.. to keep a prefix). */
  replacement: string;
}

export const REDACTED = '[REDACTED]';

// Characters that can make up an opaque token in a header or query string.
const TOKEN = String.raw`[\w.~+/-]`;

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // A whole PEM private key block, or its truncated start when a log line was cut short.
  { name: 'pem-private-key', pattern: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)/g, replacement: REDACTED },
  // scheme://user:password@host -> scheme://user:[REDACTED]@host (user may be empty, as in redis://:pw@host).
  { name: 'url-credentials', pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@]*):([^\s@/?#]+)@/gi, replacement: `$1$2:${REDACTED}@` },
  // Bearer tokens: at least 8 token characters with a digit, or 20 without (so "Bearer authentication" stays).
  { name: 'bearer', pattern: new RegExp(String.raw`\b(bearer\s+)(?:(?=${TOKEN}*\d)${TOKEN}{8,}|${TOKEN}{20,})=*`, 'gi'), replacement: `$1${REDACTED}` },
  // Basic credentials are base64 of user:password; a digit, + / or = tells them from an English word.
  { name: 'basic', pattern: /\b(basic\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{6,}={0,2}/gi, replacement: `$1${REDACTED}` },
  { name: 'jwt', pattern: /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, replacement: REDACTED },
  { name: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}\b/g, replacement: REDACTED },
  { name: 'gcp-api-key', pattern: /\bAIza[\w-]{35}(?![\w-])/g, replacement: REDACTED },
  { name: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_\w{22,255})/g, replacement: REDACTED },
  { name: 'gitlab-token', pattern: /\bgl(?:pat|dt|ptt|rt|cbt|oas|soat)-[\w-]{20,}/g, replacement: REDACTED },
  { name: 'slack-token', pattern: /\b(?:xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})/g, replacement: REDACTED },
  { name: 'slack-webhook', pattern: /\bhooks\.slack\.com\/(?:services|workflows|triggers)\/[\w/-]+/g, replacement: `hooks.slack.com/${REDACTED}` },
  { name: 'discord-webhook', pattern: /\b(discord(?:app)?\.com\/api\/webhooks\/)\d+\/[\w-]+/g, replacement: `$1${REDACTED}` },
  // Often inside a URL path (api.telegram.org/bot<token>/...), so no word boundary before the digits.
  { name: 'telegram-bot-token', pattern: /(?<!\d)\d{8,10}:AA[\w-]{30,}/g, replacement: REDACTED },
  { name: 'stripe-key', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9]{20,}/g, replacement: REDACTED },
  // Anthropic sk-ant-..., OpenAI sk-..., sk-proj-..., sk-svcacct-...
  { name: 'sk-api-key', pattern: /\bsk-[\w-]{20,}/g, replacement: REDACTED },
  { name: 'npm-token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, replacement: REDACTED },
  { name: 'sendgrid-key', pattern: /\bSG\.[\w-]{16,}\.[\w-]{16,}/g, replacement: REDACTED },
  { name: 'twilio-api-key', pattern: /\bSK[0-9a-fA-F]{32}\b/g, replacement: REDACTED },
  { name: 'google-oauth', pattern: /\bya29\.[\w-]{20,}|\b1\/\/0[\w-]{30,}/g, replacement: REDACTED },
  { name: 'huggingface-token', pattern: /\bhf_[A-Za-z0-9]{30,}/g, replacement: REDACTED },
  { name: 'vault-token', pattern: /\bhv[sbr]\.[\w-]{24,}/g, replacement: REDACTED },
  // Lookout's own API keys (@lookout/apikeys): lk_<16-hex key id>_<secret>. The collector masks the same shape.
  { name: 'lookout-api-key', pattern: /\blk_[0-9a-f]{16}_[\w-]{20,}/g, replacement: REDACTED },
  { name: 'docker-pat', pattern: /\bdckr_pat_[\w-]{20,}/g, replacement: REDACTED },
  { name: 'shopify-token', pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}/g, replacement: REDACTED },
  { name: 'pypi-token', pattern: /\bpypi-AgEIcHlwaS5vcmc[\w-]{20,}/g, replacement: REDACTED },
  // key=value and "key": "value" where the key ends in a secret word: query strings, env dumps,
  // connection strings (Password=..; AccountKey=..), quoted JSON inside messages.
  // Short words (pwd, pass, auth, sig, session, jwt) must be the whole key, so "bypass=" stays.
  {
    name: 'secret-key-value',
    pattern:
      /((?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|account[_-]?key|shared[_-]?access[_-]?key|credentials?|authorization|cookie|session[_-]?id|signature)|\b(?:pwd|pass|auth|sig|session|jwt))(["']?\s*[:=]\s*["']?)(?!(?:(?:bearer|basic)\s+)?\[REDACTED\])((?:bearer|basic)\s+)?[^\s"'&,;})\]]+/gi,
    replacement: `$1$2$3${REDACTED}`,
  },
];

/**
 * Every pattern as one alternation, so the common case (no secret) costs a single regex test.
 * Case-insensitive rules are wrapped in a `(?i:...)` modifier group (V8 12.5+, so Node 24).
 */
export const ANY_SECRET = new RegExp(
  SECRET_PATTERNS.map(({ pattern }) => (pattern.flags.includes('i') ? `(?i:${pattern.source})` : `(?:${pattern.source})`)).join('|'),
);
