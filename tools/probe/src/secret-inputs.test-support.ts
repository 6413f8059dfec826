// Every input path a client or an operator controls, each fed every secret of the corpus: HTTP headers,
// baggage, tracestate, traceparent, query strings, URL paths, JSON-RPC ids and methods, tool names,
// argument names and values, _meta, the reviewer's own endpoint, and the lookout CLI's flags. Every
// answer is kept: it is a sink too (an error response must not echo a secret).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runCli } from '@lookout/cli';
import type { SecretSample } from '@lookout/logger/testing';
import { startProcess } from '@lookout/testkit';
import type { ProbeStack } from './probe-stack.test-support.ts';
import type { Sink } from './secret-sinks.test-support.ts';

const CLI_MAIN = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));

export interface InputReport {
  /** Input paths, each with how many secrets went through it. */
  paths: { path: string; secrets: number }[];
  /** Requests and CLI runs made. */
  sent: number;
  /** Requests that got no answer or a 5xx: the probe could not tell whether the path is safe. */
  unanswered: string[];
  /** Every answer: HTTP headers ('answer headers') and bodies, tool results, MCP errors ('answers'). */
  answers: Sink[];
  /** What the CLI printed (reported, not asserted: an operator sees what they typed). */
  cliOutput: Sink[];
  /** Lines flagged by the secrets module in the review of a diff holding every secret. */
  secretFindings: number;
  /** Samples of that diff with no secrets finding on any of their lines. */
  secretsNotFound: string[];
  /** How long each group of paths took. */
  took?: string;
  summary(): string;
}

const DIFF_HEAD = ['diff --git a/src/app.ts b/src/app.ts', '--- a/src/app.ts', '+++ b/src/app.ts'];
/** A diff adding one line per secret line, as the reviewer's secrets module should catch them. */
export const diffWith = (texts: string[]) => {
  const lines = texts.flatMap((t) => t.split('\n'));
  return [...DIFF_HEAD, `@@ -1,1 +1,${lines.length + 1} @@`, ' const a = 1;', ...lines.map((l) => `+${l}`), ''].join('\n');
};
const sampledTraceparent = () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
const headerSafe = (s: SecretSample) => !/[\r\n]/.test(s.secret);
const enc = encodeURIComponent;

type HttpPath = {
  path: string;
  headerOnly?: boolean;
  /** The answer's top-level "id" echoes the request's, as JSON-RPC 2.0 (§5) requires: left out of the search. */
  idEchoed?: boolean;
  request(s: SecretSample, apiKey: string): { service: string; method?: string; url: string; headers?: Record<string, string>; body?: unknown } };

const MCP = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const authed = (apiKey: string, extra: Record<string, string> = {}) => ({ ...MCP, authorization: `Bearer ${apiKey}`, traceparent: sampledTraceparent(), ...extra });
const list = (id: unknown = 1) => ({ jsonrpc: '2.0', id, method: 'tools/list' });

/** Raw HTTP paths: what the SDK client would not let a caller send, or sends only one way. */
const HTTP_PATHS: HttpPath[] = [
  { path: 'header x-request-id', headerOnly: true, request: (s, k) => ({ service: 'mcp-server', url: '/mcp', headers: authed(k, { 'x-request-id': s.secret }), body: list() }) },
  { path: 'header user-agent', headerOnly: true, request: (s, k) => ({ service: 'mcp-server', url: '/mcp', headers: authed(k, { 'user-agent': `probe/1.0 (${s.secret})` }), body: list() }) },
  { path: 'header x-forwarded-for', headerOnly: true, request: (s, k) => ({ service: 'mcp-server', url: '/mcp', headers: authed(k, { 'x-forwarded-for': `${s.secret}, 10.0.0.1` }), body: list() }) },
  { path: 'header authorization, another scheme', headerOnly: true, request: (s) => ({ service: 'mcp-server', url: '/mcp', headers: { ...MCP, authorization: `Token ${s.secret}` }, body: list() }) },
  { path: 'header authorization, refused bearer', headerOnly: true, request: (s) => ({ service: 'mcp-server', url: '/mcp', headers: { ...MCP, authorization: `Bearer ${s.secret}`, 'x-request-id': s.secret }, body: list() }) },
  { path: 'custom headers (x-api-key, cookie, x-probe)', headerOnly: true, request: (s, k) => ({ service: 'mcp-server', url: '/mcp', headers: authed(k, { 'x-api-key': s.secret, cookie: `session=${s.secret}`, 'x-probe': s.text.replace(/[\r\n]/g, ' ') }), body: list() }) },
  { path: 'header baggage', headerOnly: true, request: (s, k) => ({ service: 'mcp-server', url: '/mcp', headers: authed(k, { baggage: `request_id=${enc(s.secret)},user_id=${enc(s.secret)},probe=${enc(s.secret)}` }), body: list() }) },
  { path: 'header baggage, refused request', headerOnly: true, request: (s) => ({ service: 'mcp-server', url: '/mcp', headers: { ...MCP, baggage: `request_id=${enc(s.secret)}` }, body: list() }) },
  { path: 'header tracestate', headerOnly: true, request: (s, k) => ({ service: 'mcp-server', url: '/mcp', headers: authed(k, { tracestate: `probe=${s.secret.replace(/[,=]/g, '')},${enc(s.secret).toLowerCase().slice(0, 200)}=1` }), body: list() }) },
  { path: 'header traceparent (malformed around a secret)', headerOnly: true, request: (s, k) => ({ service: 'mcp-server', url: '/mcp', headers: { ...authed(k), traceparent: `00-${s.secret}-01`, tracestate: `a=${s.secret}` }, body: list() }) },
  { path: 'query string', request: (s, k) => ({ service: 'mcp-server', url: `/mcp?token=${enc(s.secret)}&${enc(s.secret)}=1`, headers: authed(k), body: list() }) },
  { path: 'URL path (404) on mcp-server', request: (s) => ({ service: 'mcp-server', method: 'GET', url: `/${enc(s.secret)}`, headers: { traceparent: sampledTraceparent() } }) },
  { path: 'URL path (404) on reviewer', request: (s) => ({ service: 'reviewer', method: 'GET', url: `/x/${enc(s.secret)}?q=${enc(s.secret)}`, headers: { traceparent: sampledTraceparent() } }) },
  { path: 'URL path and query on worker', request: (s) => ({ service: 'worker', method: 'GET', url: `/health/${enc(s.secret)}?token=${enc(s.secret)}`, headers: { traceparent: sampledTraceparent() } }) },
  { path: 'JSON-RPC id', idEchoed: true, request: (s, k) => ({ service: 'mcp-server', url: '/mcp', headers: authed(k), body: list(s.text) }) },
  { path: 'JSON-RPC method name', request: (s, k) => ({ service: 'mcp-server', url: '/mcp', headers: authed(k), body: { jsonrpc: '2.0', id: 1, method: s.text } }) },
  { path: 'JSON-RPC method name under tools/', request: (s, k) => ({ service: 'mcp-server', url: '/mcp', headers: authed(k), body: { jsonrpc: '2.0', id: 1, method: `tools/${s.secret}` } }) },
  { path: 'reviewer POST /review: headers, query and diff', request: (s) => ({ service: 'reviewer', url: `/review?token=${enc(s.secret)}`, headers: { 'content-type': 'application/json', traceparent: sampledTraceparent(), ...(headerSafe(s) ? { 'x-request-id': s.secret, baggage: `request_id=${enc(s.secret)}` } : {}) }, body: { diff: diffWith([s.text]) } }) },
];

/** Tool-level paths, through the MCP SDK's own client. */
const TOOL_PATHS: { path: string; call(s: SecretSample): { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> } }[] = [
  { path: 'tool name', call: (s) => ({ name: s.text, arguments: {} }) },
  { path: 'argument name', call: (s) => ({ name: 'get_review', arguments: { id: 'x', [s.text]: 1 } }) },
  { path: 'argument value (get_review id)', call: (s) => ({ name: 'get_review', arguments: { id: s.text.slice(0, 128) } }) },
  { path: 'argument value of the wrong type (bot_digest)', call: (s) => ({ name: 'bot_digest', arguments: { sinceMinutes: s.text } }) },
  { path: 'argument value (submit_review_job diff)', call: (s) => ({ name: 'submit_review_job', arguments: { diff: diffWith([s.text]) } }) },
  { path: '_meta tracestate, progressToken and key', call: (s) => ({ name: 'get_review', arguments: { id: 'x' }, _meta: { traceparent: sampledTraceparent(), tracestate: `probe=${s.secret}`, progressToken: s.text, baggage: `request_id=${enc(s.secret)}`, [s.text]: 1 } }) },
];

/** A JSON-RPC answer without its top-level id. */
const withoutId = (body: string) => {
  try {
    const { id: _id, ...rest } = JSON.parse(body) as Record<string, unknown>;
    return JSON.stringify(rest);
  } catch {
    return body;
  }
};

async function sendHttp(probe: ProbeStack, path: HttpPath, s: SecretSample, report: InputReport) {
  const r = path.request(s, probe.stack.ctx.apiKey);
  report.sent++;
  try {
    const response = await fetch(probe.url(r.service, r.url), { method: r.method ?? 'POST', headers: r.headers, body: r.body === undefined ? undefined : JSON.stringify(r.body) });
    const body = path.idEchoed ? withoutId(await response.text()) : await response.text();
    if (response.status >= 500) report.unanswered.push(`${path.path} ${s.name}: HTTP ${response.status}`);
    report.answers.push({ group: 'answer headers', name: `${path.path} (${s.name})`, text: JSON.stringify([...response.headers]) });
    report.answers.push({ group: 'answers', name: `${path.path} (${s.name})`, text: body });
  } catch (error) {
    report.unanswered.push(`${path.path} ${s.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function sendTools(probe: ProbeStack, corpus: readonly SecretSample[], report: InputReport) {
  const client = new Client({ name: 'probe', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(probe.url('mcp-server', '/mcp')), { requestInit: { headers: { authorization: `Bearer ${probe.stack.ctx.apiKey}`, traceparent: sampledTraceparent() } } }));
  try {
    for (const path of TOOL_PATHS) {
      await Promise.all(
        corpus.map(async (s) => {
          report.sent++;
          let text: string;
          try {
            text = JSON.stringify(await client.callTool(path.call(s)));
          } catch (error) {
            text = error instanceof Error ? error.message : String(error);
          }
          report.answers.push({ group: 'answers', name: `${path.path} (${s.name})`, text });
        }),
      );
      report.paths.push({ path: `MCP ${path.path}`, secrets: corpus.length });
    }
    // The one expected place for a secret: a finding about a diff that holds it, masked.
    report.sent++;
    const reviewed = (await client.callTool({ name: 'review_diff', arguments: { diff: diffWith(corpus.map((s) => s.text)) } })) as { structuredContent?: { findings?: { module: string; line: number | null }[] } };
    report.answers.push({ group: 'answers', name: 'review_diff of every secret', text: JSON.stringify(reviewed) });
    const flagged = new Set((reviewed.structuredContent?.findings ?? []).filter((f) => f.module === 'secrets').map((f) => f.line));
    report.secretFindings = flagged.size;
    // New-file line 1 is the context line; each sample's lines follow in order.
    let line = 2;
    for (const s of corpus) {
      const lines = Array.from({ length: s.text.split('\n').length }, (_, i) => line + i);
      line += lines.length;
      if (!lines.some((l) => flagged.has(l))) report.secretsNotFound.push(s.name);
    }
    report.paths.push({ path: 'MCP argument value (review_diff diff)', secrets: corpus.length });
    // A digest after all that: it summarises findings and failures, and must quote none.
    report.sent++;
    report.answers.push({ group: 'answers', name: 'bot_digest after the secrets', text: JSON.stringify(await client.callTool({ name: 'bot_digest', arguments: { sinceMinutes: 60 } })) });
  } finally {
    await client.close();
  }
}

/** The CLI's environment: the probe's Redis, a spool in the data dir, audit delivered to the probe's collector. */
const cliEnv = (probe: ProbeStack): NodeJS.ProcessEnv => ({
  ...process.env,
  REDIS_URL: probe.stack.ctx.redisUrl,
  LOOKOUT_AUDIT_SPOOL_DIR: join(probe.dataDir, 'audit', 'lookout-cli'),
  LOOKOUT_AUDIT_DELIVER_TIMEOUT_MS: '5000',
  LOOKOUT_LOG_LEVEL: 'silent',
});

/** The lookout command as an operator runs it: a child process (Node start-up costs about a second here). */
async function runCliProcess(probe: ProbeStack, args: string[], report: InputReport, label: string) {
  report.sent++;
  const child = startProcess({ name: 'lookout', command: process.execPath, args: [CLI_MAIN, ...args], env: cliEnv(probe) });
  const code = await child.exited;
  if (code !== 0 && code !== 1 && code !== 2) report.unanswered.push(`lookout ${label}: exit ${String(code)}`);
  report.cliOutput.push({ group: 'cli output', name: `lookout ${label}`, text: child.output() });
}

/** The same program in this process (runCli, what main.ts calls): one per secret and flag, in seconds. */
async function runCliInProcess(probe: ProbeStack, args: string[], report: InputReport, label: string) {
  report.sent++;
  let output = '';
  const exitCodeBefore = process.exitCode;
  const code = await runCli(args, { stdout: (t) => (output += t), stderr: (t) => (output += t), env: cliEnv(probe) });
  process.exitCode = exitCodeBefore;
  if (code !== 0 && code !== 1 && code !== 2) report.unanswered.push(`lookout ${label}: exit ${code}`);
  report.cliOutput.push({ group: 'cli output', name: `lookout ${label}`, text: output });
}

async function sendCli(probe: ProbeStack, corpus: readonly SecretSample[], report: InputReport) {
  // Variadic job ids: every secret in one real process per command.
  await runCliProcess(probe, ['jobs', 'requeue', '--id', ...corpus.map((s) => s.secret)], report, 'jobs requeue --id (every secret)');
  await runCliProcess(probe, ['jobs', 'purge', '--id', ...corpus.map((s) => s.secret)], report, 'jobs purge --id (every secret)');
  // One value per run: in process, one after the other (runCli is not meant to run concurrently).
  for (const s of corpus) {
    await runCliInProcess(probe, ['apikey', 'create', '--name', s.text], report, `apikey create --name (${s.name})`);
    await runCliInProcess(probe, ['--actor', s.secret, 'apikey', 'list'], report, `--actor (${s.name})`);
    await runCliInProcess(probe, ['apikey', 'revoke', s.secret], report, `apikey revoke <keyId> (${s.name})`);
  }
  for (const path of ['CLI jobs requeue --id', 'CLI jobs purge --id', 'CLI apikey create --name', 'CLI --actor', 'CLI apikey revoke <keyId>']) report.paths.push({ path, secrets: corpus.length });
}

export async function sendSecretsThroughEveryPath({ probe, corpus }: { probe: ProbeStack; corpus: readonly SecretSample[] }): Promise<InputReport> {
  const report: InputReport = {
    paths: [],
    sent: 0,
    unanswered: [],
    answers: [],
    cliOutput: [],
    secretFindings: 0,
    secretsNotFound: [],
    summary: () =>
      [
        `secrets: ${corpus.length} shapes × ${report.paths.length} input paths, ${report.sent} requests and CLI runs (${report.took})`,
        ...report.paths.map((p) => `  ${p.path}: ${p.secrets} secrets`),
      ].join('\n'),
  };
  const took: string[] = [];
  const timed = async (what: string, step: () => Promise<void>) => {
    const start = Date.now();
    await step();
    took.push(`${what} ${Date.now() - start} ms`);
  };
  await timed('HTTP', async () => {
    for (const path of HTTP_PATHS) {
      const secrets = path.headerOnly ? corpus.filter(headerSafe) : corpus;
      await Promise.all(secrets.map((s) => sendHttp(probe, path, s, report)));
      report.paths.push({ path: path.path, secrets: secrets.length });
    }
  });
  await timed('MCP tools', () => sendTools(probe, corpus, report));
  await timed('CLI', () => sendCli(probe, corpus, report));
  report.took = took.join(', ');
  return report;
}
