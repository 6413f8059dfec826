/**
 * THE one source of secret patterns. Both engines are generated from it:
 *   - the JS masker (mask.ts: maskString / maskSecrets, used by the logger, the audit trail and the
 *     OTel span processor), and
 *   - the collector's RE2 statements (otel-collector/tools/mask-statements.ts writes them into
 *     otel-collector/config.yaml; its --check fails when they are stale).
 * So every `source` below is written in the common subset of JS RegExp (no `u` flag) and Go RE2: no
 * look-around, no back-references, no `.` (its line terminators differ), `$` only as end of input,
 * character classes in ASCII. Known remaining differences: `\s` in JS also matches \v and Unicode
 * spaces, and RE2's case folding also maps ſ/K (Kelvin) to s/k; both only matter for exotic input.
 *
 * Vendor shapes are adapted from the gitleaks default rules (github.com/gitleaks/gitleaks,
 * config/gitleaks.toml), rewritten without their look-around and context parts. Every rule has a
 * sample in testing/secret-corpus.ts; a test fails when one has none.
 *
 * This module is dependency-free on purpose: the collector generator imports it with plain Node.
 */
export const REDACTED = '[REDACTED]';

export interface SecretRule {
  /** Unique, kebab-case. */
  name: string;
  /** Regex source in the JS/RE2 common subset (see above). */
  source: string;
  /** Case-insensitive: `i` flag in JS, `(?i)` in RE2. */
  ignoreCase?: boolean;
  /** Replacement, `$1`.. keep a group (scheme, user, key name). Default: REDACTED for the whole match. */
  replacement?: string;
}

// Characters of an opaque token in a header or query string.
const TOKEN = String.raw`[\w.~+/-]`;

/**
 * Order matters: specific shapes run before the generic key=value rule, so `Authorization: Bearer x`
 * keeps "Bearer" and the generic rule then sees an already masked value and leaves it.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  // A whole PEM private key block, or its truncated start when a log line was cut short.
  { name: 'pem-private-key', source: String.raw`-----BEGIN[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)` },
  // scheme://user:password@host -> scheme://user:[REDACTED]@host (user may be empty: redis://:pw@host).
  // The scheme is bounded and has no \b: an unbounded scheme made "a.a.a.a..." quadratic in JS.
  { name: 'url-credentials', ignoreCase: true, source: String.raw`([a-z][a-z0-9+.-]{0,31}://)([^\s:/?#@]*):([^\s@/?#]+)@`, replacement: `$1$2:${REDACTED}@` },
  { name: 'secret-query-parameter', ignoreCase: true, source: String.raw`((?:^|[?&;])(?:token|access_token|id_token|refresh_token|api_key|apikey|password|secret|sig|key)=)[^&#\s]*`, replacement: `$1${REDACTED}` },
  // A digit in it, or 20+ characters, so "Bearer token required" stays.
  { name: 'bearer', ignoreCase: true, source: String.raw`\b(bearer\s+)(?:${TOKEN}*[0-9]${TOKEN}*|${TOKEN}{20,})=*`, replacement: `$1${REDACTED}` },
  // base64 of user:password; a digit, + / or = tells it from an English word ("Basic authentication").
  { name: 'basic', ignoreCase: true, source: String.raw`\b(basic\s+)(?:[A-Za-z0-9+/]*[0-9+/][A-Za-z0-9+/]*={0,2}|[A-Za-z0-9+/]{4,}={1,2})`, replacement: `$1${REDACTED}` },
  // Vendor tokens with a fixed prefix: masked whole.
  { name: 'jwt', source: String.raw`\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*` },
  { name: 'aws-access-key-id', source: String.raw`\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}\b` },
  { name: 'gcp-api-key', source: String.raw`\bAIza[\w-]{35,}` },
  { name: 'github-token', source: String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_\w{22,255})` },
  { name: 'gitlab-token', source: String.raw`\bgl(?:pat|dt|ptt|rt|cbt|oas|soat|ft|imt|agent|ffct)-[\w-]{20,}` },
  { name: 'slack-token', source: String.raw`\b(?:xox[abposre]-[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,})` },
  { name: 'stripe-key', source: String.raw`\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9]{20,}` },
  // Anthropic sk-ant-..., OpenAI sk-..., sk-proj-..., sk-svcacct-...
  { name: 'sk-api-key', source: String.raw`\bsk-[\w-]{20,}` },
  { name: 'npm-token', source: String.raw`\bnpm_[A-Za-z0-9]{36}\b` },
  { name: 'sendgrid-key', source: String.raw`\bSG\.[\w-]{16,}\.[\w-]{16,}` },
  { name: 'twilio-api-key', source: String.raw`\bSK[0-9a-fA-F]{32}\b` },
  { name: 'google-oauth', source: String.raw`\bya29\.[\w-]{20,}|\b1//0[\w-]{30,}` },
  { name: 'huggingface-token', source: String.raw`\b(?:hf_|api_org_)[A-Za-z0-9]{30,}` },
  { name: 'vault-token', source: String.raw`\bhv[sbr]\.[\w-]{24,}` },
  // Lookout's own API keys (@lookout/apikeys): lk_<16-hex key id>_<secret>.
  { name: 'lookout-api-key', source: String.raw`\blk_[0-9a-f]{16}_[\w-]{20,}` },
  { name: 'docker-pat', source: String.raw`\bdckr_pat_[\w-]{20,}` },
  { name: 'shopify-token', source: String.raw`\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}` },
  { name: 'pypi-token', source: String.raw`\bpypi-AgEIcHlwaS5vcmc[\w-]{20,}` },
  { name: 'digitalocean-token', source: String.raw`\bdo[opr]_v1_[a-f0-9]{64}` },
  { name: 'grafana-token', source: String.raw`\b(?:glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,}={0,3})` },
  { name: 'postman-api-key', source: String.raw`\bPMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}` },
  { name: 'linear-api-key', source: String.raw`\blin_api_[A-Za-z0-9]{40}` },
  { name: 'age-secret-key', source: String.raw`\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}` },
  { name: 'planetscale-token', source: String.raw`\bpscale_(?:tkn|oauth|pw)_[\w=.-]{32,64}` },
  { name: 'databricks-token', source: String.raw`\bdapi[a-f0-9]{32}(?:-[0-9])?` },
  { name: 'pulumi-token', source: String.raw`\bpul-[a-f0-9]{40}` },
  { name: 'heroku-api-key', source: String.raw`\bHRKU-AA[\w-]{58}` },
  { name: 'openshift-token', source: String.raw`\bsha256~[\w-]{43}` },
  // Often inside a URL path (api.telegram.org/bot<token>/...), so no word boundary before the digits.
  { name: 'telegram-bot-token', source: String.raw`[0-9]{8,10}:AA[\w-]{30,}` },
  { name: 'slack-webhook', source: String.raw`\b(hooks\.slack\.com/(?:services|workflows|triggers)/)[\w/-]+`, replacement: `$1${REDACTED}` },
  { name: 'discord-webhook', source: String.raw`\b(discord(?:app)?\.com/api/webhooks/)[0-9]+/[\w-]+`, replacement: `$1${REDACTED}` },
  // key=value, "key": "value" (also JSON-escaped inside a string: \"key\":\"value\") where the key
  // ends in a secret word: query strings, env dumps, Password=..; AccountKey=.., quoted JSON in text.
  // Short words (pwd, pass, auth, sig, session, jwt) must start the key, so "bypass=" stays.
  // A value already masked ([REDACTED]) is matched and rewritten as it is, so masking is idempotent.
  {
    name: 'secret-key-value',
    ignoreCase: true,
    source: String.raw`((?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|account[_-]?key|credentials?|authorization|cookie|session[_-]?id|signature)|\b(?:pwd|pass|auth|sig|session|jwt))((?:\\)?["']?\s*[:=]\s*(?:\\)?["']?)((?:bearer|basic)\s+)?(?:\[REDACTED\]|[^\s"'&,;})\[\]\\][^\s"'&,;})\]\\]*)`,
    replacement: `$1$2$3${REDACTED}`,
  },
];

/**
 * Secrets without any prefix (an AWS secret access key standing alone, a random API key): a run of
 * at least `minLength` base64 characters (A-Z a-z 0-9 + /; `- _ .` and everything else end a run)
 * is masked whole unless the whole run matches one of `keepWhenRunIs`.
 *
 * Entropy cannot be computed in RE2, so this is a shape rule, the same in both engines. The keep
 * shapes are the false-positive classes: hex of any length (trace/span ids, SHA-1/SHA-256, git
 * SHAs: no upper case), upper-case ids (no lower case), words (no digit), base64 of plain text
 * (every 4-character group decodes to printable ASCII, tab, CR or LF), and identifiers or paths
 * made of words (no lone lower-case letter inside upper-case letters or digits, which random
 * strings nearly always have). UUIDs and review ids (UUIDs) break into runs shorter than the minimum.
 * A random 40-character base64 or alphanumeric secret is masked with a probability above 99%.
 */
export interface HighEntropyRule {
  name: string;
  /** One character of a run. */
  runChar: string;
  minLength: number;
  keepWhenRunIs: readonly { name: string; source: string }[];
}

// Base64 alphabet indexes allowed at each position of a 4-character group that encodes bytes
// 0x09, 0x0A, 0x0D or 0x20-0x7E: 1st = byte1 >> 2, 2nd = low bits of byte1 and byte2 >> 4 (0 or 2-7),
// 3rd = low bits of byte2 and byte3 >> 6 (0 or 1), 4th = anything.
const B64_TEXT_1 = '[CDI-Za-f]';
const B64_TEXT_2 = '[AC-HQS-Xgi-nwyz0-3]';
const B64_TEXT_3 = '[ABEFIJMNQRUVYZcdghklopstwx014589]';
const B64_ANY = '[A-Za-z0-9+/]';
// A slash, and the 1-letter path segments after it (/a/b/).
const SLASH = '/(?:[a-z]/)*';

export const HIGH_ENTROPY_RULE: HighEntropyRule = {
  name: 'high-entropy-token',
  runChar: B64_ANY,
  minLength: 32,
  keepWhenRunIs: [
    { name: 'no-upper-case', source: '[a-z0-9+/]+' },
    { name: 'no-lower-case', source: '[A-Z0-9+/]+' },
    { name: 'no-digit', source: '[A-Za-z+/]+' },
    {
      name: 'base64-of-text',
      // Whole groups, then a cut-off group (before = padding, or before - _ in URL-safe base64,
      // which can only stand in a group's 4th place, so each piece starts a group).
      source: `(?:${B64_TEXT_1}${B64_TEXT_2}${B64_TEXT_3}${B64_ANY})+(?:${B64_TEXT_1}(?:${B64_TEXT_2}${B64_TEXT_3}?)?)?`,
    },
    // Lower-case letters come in runs of 2+, or as a capitalised 2-letter word before a digit or /
    // (In/, V2x...), or as a 1-letter path segment (/a/). Written so that each string has one parse
    // (no catastrophic backtracking in JS).
    { name: 'words', source: `(?:[A-Z0-9+]|${SLASH}|[a-z][a-z]+(?:[A-Z0-9+]|${SLASH})|[A-Z][a-z](?:[0-9]|${SLASH}))*(?:[a-z][a-z]+|[A-Z][a-z]|/[a-z])?` },
  ],
};

/** One regex replacement, as both engines run it: all matches of `source` replaced by `replacement`. */
export interface MaskStep {
  /** The rules it applies (several when adjacent whole-match rules were merged into one alternation). */
  rules: string[];
  source: string;
  ignoreCase: boolean;
  /** JS syntax: $1.. for groups. */
  replacement: string;
}

/**
 * The named rules as steps: adjacent rules that mask their whole match and share the case flag become
 * one alternation, so each engine scans a string fewer times. Both engines run exactly these steps.
 */
export function ruleSteps(rules: readonly SecretRule[] = SECRET_RULES): MaskStep[] {
  const steps: MaskStep[] = [];
  for (const rule of rules) {
    const ignoreCase = rule.ignoreCase ?? false;
    const replacement = rule.replacement ?? REDACTED;
    const previous = steps.at(-1);
    if (previous && replacement === REDACTED && previous.replacement === REDACTED && previous.ignoreCase === ignoreCase) {
      previous.rules.push(rule.name);
      previous.source += `|(?:${rule.source})`;
    } else {
      steps.push({ rules: [rule.name], source: `(?:${rule.source})`, ignoreCase, replacement });
    }
  }
  return steps;
}

/** Start of a run of the high-entropy rule: group 1 is what precedes it (kept), group 2 the run. */
export const highEntropyCandidate = (rule: HighEntropyRule = HIGH_ENTROPY_RULE): string =>
  `(^|[^${rule.runChar.slice(1, -1)}])(${rule.runChar}{${rule.minLength},})`;

/**
 * A private-use character that marks a candidate run between steps in a regex-only engine. Input
 * that already holds it may lose that character, or get the run after it masked: never a leak (the
 * only place where the two engines can differ by design).
 */
export const RUN_MARKER = '\uE000';

/**
 * The high-entropy rule as plain regex replacements, for an engine that has no callback (RE2 in
 * OTTL): mark every candidate run, unmark the runs a keep shape matches whole, mask what is still
 * marked. mask.ts computes the same with one callback; a test runs these steps in JS against it.
 * The marker is written `\x{E000}` in patterns (RE2 syntax) and as the character in replacements.
 */
export function highEntropyRegexSteps(rule: HighEntropyRule = HIGH_ENTROPY_RULE, markerPattern = String.raw`\x{E000}`): MaskStep[] {
  const notRunChar = `[^${rule.runChar.slice(1, -1)}]`;
  return [
    { rules: [`${rule.name}:mark`], source: highEntropyCandidate(rule), ignoreCase: false, replacement: `$1${RUN_MARKER}$2` },
    ...rule.keepWhenRunIs.map((keep) => ({
      rules: [`${rule.name}:keep-${keep.name}`],
      source: `${markerPattern}(${keep.source})(${notRunChar}|$)`,
      ignoreCase: false,
      replacement: '$1$2',
    })),
    { rules: [`${rule.name}:mask`], source: `${markerPattern}${rule.runChar}+`, ignoreCase: false, replacement: REDACTED },
  ];
}
