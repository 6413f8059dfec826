import { describe, expect, it } from 'vitest';
import { REDACTED } from '@lookout/logger';
import { findLeaks, SAFE_CORPUS, SECRET_CORPUS } from '@lookout/logger/testing';
import { createAudit } from './audit.ts';
import { digestArguments } from './digest.ts';
import { AuditValidationError, cleanInput } from './schema.ts';
import { sample, spoolText, tempDir } from './fixtures.test-support.ts';

describe('audit input schema', () => {
  it('accepts a well-formed event and keeps its fields', () => {
    expect(cleanInput({ ...sample(), reason: 'because' })).toEqual({ ...sample(), reason: 'because' });
  });

  it('names every field that is wrong, never its value', () => {
    const attempt = () =>
      cleanInput({ action: 'NoDots', actor: { type: 'Operator', id: '' }, target: { type: 'x' }, outcome: 'ok', extra: 1 });
    expect(attempt).toThrow(AuditValidationError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      for (const field of ['action', 'actor.type', 'actor.id', 'outcome']) expect(message).toContain(field);
      expect(message).toMatch(/extra|Unrecognized/);
    }
  });

  it.each(['mcp.tool.invoke', 'auth.token.rejected', 'admin.apikey.revoke'])('accepts the action %s', (action) => {
    expect(cleanInput({ ...sample(), action }).action).toBe(action);
  });

  it.each(['mcp', 'Mcp.tool', 'mcp..tool', 'mcp.tool.', 'mcp tool.x'])('refuses the action %j', (action) => {
    expect(() => cleanInput({ ...sample(), action })).toThrow(/action/);
  });

  it('masks every secret shape of the logger corpus in an actor or target id, and records the event', async () => {
    const spoolDir = tempDir();
    const audit = await createAudit({ spoolDir, ship: false, service: 'test' });
    // The texts, not the bare secrets: a random string alone has no shape anything could detect.
    for (const { name, text } of SECRET_CORPUS) {
      const clean = cleanInput({ ...sample(), actor: { type: 'operator', id: text }, target: { type: 'tool', id: text } });
      expect(clean.actor.id, name).toContain(REDACTED);
      expect(clean.actor.id.length, name).toBeLessThanOrEqual(200);
      expect(clean.target.id?.length, name).toBeLessThanOrEqual(500);
      const event = await audit.record({ ...sample(), actor: { type: 'operator', id: text }, target: { type: 'tool', id: text } });
      expect(event.seq, name).toBeGreaterThan(0);
      expect(findLeaks(spoolText(spoolDir)), name).toEqual([]);
    }
    const wholeKey = `lk_0123456789abcdef_${'s'.repeat(43)}`;
    expect(cleanInput({ ...sample(), actor: { type: 'api_key', id: wholeKey } }).actor.id).toBe(REDACTED);
    await audit.close();
  });

  it('cuts an over-long id or reason instead of refusing the event', () => {
    const clean = cleanInput({ ...sample(), actor: { type: 'operator', id: 'a'.repeat(5000) }, reason: 'r'.repeat(5000) });
    expect(clean.actor.id).toHaveLength(200);
    expect(clean.reason).toHaveLength(1000);
  });

  it('keeps ordinary identifiers as they are', () => {
    for (const id of ['0123456789abcdef', 'ann', 'reviewer@example.com', '123e4567-e89b-12d3-a456-426614174000']) {
      expect(cleanInput({ ...sample(), actor: { type: 'operator', id } }).actor.id).toBe(id);
    }
  });
});

describe('masking', () => {
  it('masks metadata and reasons with the logger rules before anything is written', async () => {
    const spoolDir = tempDir();
    const audit = await createAudit({ spoolDir, ship: false, service: 'test' });
    for (const { name, text } of SECRET_CORPUS) {
      await audit.record({ ...sample(), outcome: 'failure', reason: text, metadata: { note: text, nested: { api_key: text, list: [text] } } });
      expect(findLeaks(spoolText(spoolDir)), name).toEqual([]);
    }
    const safe = await audit.record({ ...sample(), metadata: Object.fromEntries(SAFE_CORPUS.map(({ text }, i) => [`sample_${i}`, text])) });
    SAFE_CORPUS.forEach(({ name, text }, i) => expect(safe.metadata?.[`sample_${i}`], name).toBe(text));
    await audit.close();
  });

  it('records tool arguments as a digest and sizes, never their values', () => {
    const args = { diff: 'password=hunter2 and more', options: { depth: 3 } };
    const digest = digestArguments(args);
    expect(digest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(digest.sizes).toEqual({ diff: JSON.stringify(args.diff).length, options: JSON.stringify(args.options).length });
    expect(JSON.stringify(digest)).not.toContain('hunter2');
    // Key order does not change the digest; content does.
    expect(digestArguments({ options: { depth: 3 }, diff: args.diff }).sha256).toBe(digest.sha256);
    expect(digestArguments({ ...args, diff: 'other' }).sha256).not.toBe(digest.sha256);
    expect(digestArguments({ 'weird key!': 1 }).sizes).toEqual({ _other: 1 });
    // Argument names are client input: a secret-shaped name, or one the tool does not declare, is not recorded.
    const secretName = `ghp_${'e'.repeat(36)}`;
    expect(digestArguments({ [secretName]: 1 }).sizes).toEqual({ _other: 1 });
    expect(digestArguments({ diff: 'x', extra: 2 }, { names: ['diff'] }).sizes).toEqual({ diff: 3, _other: 1 });
  });
});
