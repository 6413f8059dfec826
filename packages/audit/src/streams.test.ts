import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAudit } from './audit.ts';
import { fakeSender, sample, tempDir } from './fixtures.test-support.ts';
import { verifyEvents } from './verify.ts';

describe('stream locks (OS locks, not pids)', () => {
  it('ships a stream whose lock file names this very pid (pid 1 restarted in a container)', async () => {
    const spoolDir = tempDir();
    const audit = await createAudit({ spoolDir, ship: false });
    for (let i = 0; i < 3; i++) await audit.record(sample(i));
    await audit.close();
    writeFileSync(join(audit.streamDir, 'lock'), `${process.pid}\n`);

    const sender = fakeSender();
    const after = await createAudit({ spoolDir, sender: sender.send });
    expect(after.streamId).toBe(audit.streamId);
    expect(await after.flush(5000)).toBe(true);
    await after.close();
    expect(sender.batches.flatMap((b) => b.events).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('ships the backlog of every unlocked stream at start, not only the one it adopts', async () => {
    const spoolDir = tempDir();
    // Two processes that ran side by side (two streams), both gone without delivering.
    const [a, b] = [await createAudit({ spoolDir, ship: false }), await createAudit({ spoolDir, ship: false })];
    for (let i = 0; i < 2; i++) await a.record(sample(i));
    for (let i = 0; i < 3; i++) await b.record(sample(i));
    await Promise.all([a.close(), b.close()]);
    expect(a.streamId).not.toBe(b.streamId);

    const sender = fakeSender();
    const audit = await createAudit({ spoolDir, sender: sender.send });
    expect(await audit.flush(5000)).toBe(true);
    expect(audit.stats().events).toBe(0);
    await audit.close();
    const delivered = sender.batches.flatMap((b) => b.events);
    expect(delivered).toHaveLength(5);
    expect(verifyEvents(delivered).ok).toBe(true);
  });

  it('leaves alone a stream another live process holds, and takes it once that process is killed', async () => {
    const spoolDir = tempDir();
    const index = fileURLToPath(new URL('./index.ts', import.meta.url));
    // The child records 2 events it cannot deliver, says so, and then waits until it is killed.
    const script = `const { createAudit } = await import(${JSON.stringify(index)});
      const audit = await createAudit({ spoolDir: ${JSON.stringify(spoolDir)}, service: 'holder', ship: false });
      for (let i = 0; i < 2; i++) await audit.record({ action: 'test.hold.on', actor: { type: 'operator', id: 'ann' }, target: { type: 'thing' }, outcome: 'success' });
      console.log(audit.streamId);
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, LOOKOUT_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const childStream = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim()));
      child.once('exit', (code) => reject(new Error(`the lock-holding child exited early (${code})`)));
    });
    try {
      const sender = fakeSender();
      const meanwhile = await createAudit({ spoolDir, sender: sender.send });
      expect(meanwhile.streamId).not.toBe(childStream);
      expect(await meanwhile.flush(2000)).toBe(true);
      await meanwhile.close();
      expect(sender.batches).toEqual([]);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    const sender = fakeSender();
    const after = await createAudit({ spoolDir, sender: sender.send });
    expect(await after.flush(5000)).toBe(true);
    await after.close();
    expect(sender.batches.flatMap((b) => b.events).filter((e) => e.stream === childStream).map((e) => e.seq)).toEqual([1, 2]);
  });
});
