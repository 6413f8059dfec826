// The lookout command as an operator runs it: a child process against a real Redis, its audit
// spool in a temp folder, delivering to a stub OTLP receiver.
import { createServer, type Server } from 'node:http';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore, parseToken } from '@lookout/apikeys';
import { readEventsFile, type AuditEvent } from '@lookout/audit/reader';
import { REVIEW_QUEUE } from '@lookout/reviews';
import { listenLocally, redisMissing, startProcess, startRedis, waitUntil, type TestRedis } from '@lookout/testkit';

const skip = redisMissing();
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Run {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

/** A stub collector: accepts OTLP/JSON logs and keeps every log record body. */
async function startOtlpStub(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const request = JSON.parse(raw) as { resourceLogs: { scopeLogs: { scope: { name: string }; logRecords: { body: { stringValue: string } }[] }[] }[] };
      for (const resource of request.resourceLogs) for (const scope of resource.scopeLogs) for (const record of scope.logRecords) bodies.push(record.body.stringValue);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { ...(await listenLocally(server)), bodies };
}

describe.skipIf(skip)('lookout CLI', () => {
  let redis: TestRedis;
  let client: Redis;
  let otlp: Awaited<ReturnType<typeof startOtlpStub>>;
  const spoolDir = mkdtempSync(join(tmpdir(), 'lookout-cli-audit-'));
  const operator = userInfo().username;

  const lookout = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> => {
    const child = startProcess({
      name: 'lookout',
      command: process.execPath,
      args: [main, ...args],
      env: { REDIS_URL: redis.url, LOOKOUT_AUDIT_SPOOL_DIR: spoolDir, OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, LOOKOUT_AUDIT_DELIVER_TIMEOUT_MS: '3000', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await child.exited;
    return { code, stdout, stderr };
  };
  /** The newest audit event in the CLI spool. */
  const lastEvent = async () => ((await readEventsFile(spoolDir)) as AuditEvent[]).sort((a, b) => a.time.localeCompare(b.time) || a.seq - b.seq).at(-1) as AuditEvent;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    otlp = await startOtlpStub();
  });
  afterAll(async () => {
    client?.disconnect();
    await otlp?.close();
    await redis?.stop();
  });

  it('has --help on every command', async () => {
    for (const args of [[], ['apikey'], ['apikey', 'create'], ['apikey', 'revoke'], ['apikey', 'list'], ['jobs'], ['jobs', 'requeue'], ['jobs', 'purge'], ['audit'], ['audit', 'verify'], ['audit', 'flush']]) {
      const run = await lookout([...args, '--help']);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout, args.join(' ')).toMatch(/^Usage: lookout/);
    }
  });

  it('apikey create prints the token once, stores only its hash and audits it with the operator; it reaches the collector', async () => {
    const run = await lookout(['apikey', 'create', '--name', 'ci-bot']);
    expect(run.code, run.stderr).toBe(0);
    const token = run.stdout.trim();
    expect(token).toMatch(/^lk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const { keyId } = parseToken(token)!;
    expect(await new ApiKeyStore(client).verifyApiKey(token)).toEqual({ ok: true, keyId });
    expect(run.stderr).toContain(`created API key ${keyId}`);
    const event = await lastEvent();
    expect(event).toMatchObject({ action: 'admin.apikey.create', outcome: 'success', actor: { type: 'operator', id: operator }, target: { type: 'api_key', id: keyId }, service: 'lookout-cli', metadata: { name: 'ci-bot' } });
    await waitUntil('the event at the stub collector', () => otlp.bodies.some((body) => body.includes(event.event_id)));
    const everything = readdirSync(spoolDir).join() + JSON.stringify(await readEventsFile(spoolDir)) + otlp.bodies.join();
    expect(everything).not.toContain(parseToken(token)!.secret);
  });

  it('apikey create: a missing name is a usage error; a secret-looking name is denied and audited', async () => {
    const missing = await lookout(['apikey', 'create']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--name <name>'/);
    const denied = await lookout(['apikey', 'create', '--name', 'password=hunter2']);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/--name .*must not look like a credential/);
    const event = await lastEvent();
    expect(event).toMatchObject({ action: 'admin.apikey.create', outcome: 'denied', metadata: { name: '[REDACTED]' } });
    expect(JSON.stringify(event)).not.toContain('hunter2');

    // A secret no pattern knows: refused for its characters, and never recorded either.
    const odd = await lookout(['apikey', 'create', '--name', 'Zx9#hunter2-SECRET!q']);
    expect(odd.code).toBe(2);
    expect(await lastEvent()).toMatchObject({ action: 'admin.apikey.create', outcome: 'denied', metadata: { name: '[REDACTED]' } });
    expect(JSON.stringify(await readEventsFile(spoolDir))).not.toContain('hunter2-SECRET');
  });

  it('apikey list and revoke, recorded as the OS user; bad and unknown ids fail with a clear message and are audited, never repeated', async () => {
    const { keyId } = await new ApiKeyStore(client).createApiKey({ name: 'to-revoke' });
    const list = await lookout(['apikey', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${keyId}\\s+to-revoke`));
    expect(list.stdout).not.toMatch(/lk_/);
    expect(await lastEvent()).toMatchObject({ action: 'admin.apikey.list', outcome: 'success' });

    const revoke = await lookout(['apikey', 'revoke', keyId]);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain(`revoked API key ${keyId}`);
    expect(await lastEvent()).toMatchObject({ action: 'admin.apikey.revoke', outcome: 'success', actor: { type: 'operator', id: operator }, target: { id: keyId } });
    expect((await new ApiKeyStore(client).listApiKeys()).find((k) => k.keyId === keyId)?.revokedAt).toBeDefined();

    const unknown = await lookout(['apikey', 'revoke', 'ffffffffffffffff']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no API key with that id/);
    const failed = await lastEvent();
    expect(failed).toMatchObject({ action: 'admin.apikey.revoke', outcome: 'failure', target: { type: 'api_key' } });
    expect(JSON.stringify(failed)).not.toContain('ffffffffffffffff'); // a value that names no key may be a pasted secret

    const malformed = await lookout(['apikey', 'revoke', 'lk_not-a-key-id']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/key id shown by `lookout apikey list`/);
    expect(await lastEvent()).toMatchObject({ action: 'admin.apikey.revoke', outcome: 'denied' });

    // No flag names another operator: the actor is what the OS attests.
    const badActor = await lookout(['--actor', 'Bearer abcdef0123456789', 'apikey', 'list']);
    expect(badActor.code).toBe(2);
    expect(badActor.stderr).toMatch(/unknown option '--actor'/);
    expect(badActor.stderr).not.toContain('abcdef0123456789');
  });

  it('fails with a short message (and audits the failure) when Redis is not there', async () => {
    const run = await lookout(['apikey', 'list', '--redis-url', 'redis://127.0.0.1:1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await lastEvent()).toMatchObject({ action: 'admin.apikey.list', outcome: 'failure' });
    const badUrl = await lookout(['--redis-url', 'http://x', 'apikey', 'list']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/redis:\/\//);
  });

  it('jobs requeue and purge act on failed jobs only, and are audited', async () => {
    const queue = new Queue(REVIEW_QUEUE, { connection: client });
    const worker = new Worker(REVIEW_QUEUE, async () => {
      throw new Error('boom');
    }, { connection: new Redis(redis.url, { maxRetriesPerRequest: null }) });
    const jobs = await Promise.all([1, 2, 3].map((i) => queue.add('review', { i }, { attempts: 1, removeOnFail: false })));
    await waitUntil('three failed jobs', async () => (await queue.getFailedCount()) === 3 || undefined);
    await worker.close();

    const none = await lookout(['jobs', 'requeue']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--id <jobId...> or --all/);
    expect(await lastEvent()).toMatchObject({ action: 'admin.jobs.requeue', outcome: 'denied' });

    const [first, second, third] = jobs.map((job) => String(job.id));
    const requeue = await lookout(['jobs', 'requeue', '--id', first as string]);
    expect(requeue.code, requeue.stderr).toBe(0);
    expect(requeue.stdout).toContain(`requeued 1 failed job(s): ${first}`);
    expect(await queue.getJobState(first as string)).toBe('waiting');
    expect(await lastEvent()).toMatchObject({ action: 'admin.jobs.requeue', outcome: 'success', target: { type: 'queue', id: REVIEW_QUEUE }, metadata: { jobs: 1, job_ids: [first] } });

    const notFailed = await lookout(['jobs', 'purge', '--id', first as string, second as string]);
    expect(notFailed.code).toBe(1);
    expect(notFailed.stderr).toMatch(new RegExp(`not failed, so left alone: ${first} \\(waiting\\)`));
    expect(await queue.getJob(second as string)).toBeUndefined();
    expect(await lastEvent()).toMatchObject({ action: 'admin.jobs.purge', outcome: 'failure' });

    // A job id is validated before anything runs or is recorded: a pasted secret never reaches the trail.
    const before = (await readEventsFile(spoolDir)).length;
    const pasted = await lookout(['jobs', 'purge', '--id', 'hunter2-jobid-SECRET']);
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).toMatch(/--id .*must be a job id/);
    expect((await readEventsFile(spoolDir)).length).toBe(before);
    expect(JSON.stringify(await readEventsFile(spoolDir))).not.toContain('hunter2-jobid-SECRET');

    const purgeAll = await lookout(['jobs', 'purge', '--all']);
    expect(purgeAll.code).toBe(0);
    expect(purgeAll.stdout).toContain(`purged 1 failed job(s): ${third}`);
    expect(await queue.getFailedCount()).toBe(0);
    await queue.close();
  });

  it('audit verify passes on the spool it wrote and fails (exit 1) on a tampered copy', async () => {
    const ok = await lookout(['audit', 'verify', '--file', spoolDir]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/OK: every chain is intact/);

    const copy = mkdtempSync(join(tmpdir(), 'lookout-cli-tampered-'));
    cpSync(spoolDir, copy, { recursive: true });
    const stream = readdirSync(copy).find((name) => name.startsWith('lookout-cli-')) as string;
    const segment = join(copy, stream, readdirSync(join(copy, stream)).find((name) => name.endsWith('.jsonl')) as string);
    writeFileSync(segment, readFileSync(segment, 'utf8').replace(`"id":"${operator}"`, '"id":"mallory"'));
    const tampered = await lookout(['audit', 'verify', '--file', copy, '--json'], { LOOKOUT_AUDIT_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'lookout-cli-other-')) });
    expect(tampered.code).toBe(1);
    const report = JSON.parse(tampered.stdout) as { ok: boolean; problems: { kind: string }[] };
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('edit');

    const bad = await lookout(['audit', 'verify', '--from', 'yesterday-ish']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from.*ISO 8601 time .* or a duration/);
  });

  it('keeps events spooled while the collector is unreachable and says so; audit flush delivers them later', async () => {
    const offline = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', LOOKOUT_AUDIT_DELIVER_TIMEOUT_MS: '200' };
    const run = await lookout(['apikey', 'list'], offline);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/audit event\(s\) are spooled in .* not yet delivered/);
    const pending = await lastEvent();
    const flush = await lookout(['audit', 'flush']);
    expect(flush.code, flush.stderr).toBe(0);
    await waitUntil('the spooled event at the stub collector', () => otlp.bodies.some((body) => body.includes(pending.event_id)));
  });
});
