import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureRedisServer } from './redis-server.ts';

// A PATH without redis-server, and a stand-in apt-get that "installs" it (writes an executable
// redis-server next to itself) or fails, so the install path runs without touching the machine.
describe('ensureRedisServer', () => {
  let bin: string;
  const savedPath = process.env.PATH;
  const lines: string[] = [];
  const say = (line: string) => lines.push(line);
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };

  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'lookout-redis-path-'));
    process.env.PATH = `${bin}:/usr/bin/dirname-only-not-a-real-dir`;
    script('sh', 'exec /bin/sh "$@"');
    lines.length = 0;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(bin, { recursive: true, force: true });
  });

  it('does nothing when redis-server is on PATH', () => {
    script('redis-server', 'exit 0');
    expect(ensureRedisServer(say, true)).toEqual({ ok: true, installed: false });
    expect(lines).toEqual([]);
  });

  it('names the exact command to run when it may not install (not root)', () => {
    script('apt-get', 'exit 0');
    const result = ensureRedisServer(say, false);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/redis-server is not installed\. Install it with: sudo apt-get install redis-server/);
  });

  it('installs it with apt-get as root, with a progress line', () => {
    script('apt-get', 'case "$*" in *install*) printf "#!/bin/sh\\n" > "${0%/*}/redis-server"; /bin/chmod +x "${0%/*}/redis-server";; esac');
    expect(ensureRedisServer(say, true)).toEqual({ ok: true, installed: true });
    expect(lines[0]).toMatch(/installing Debian's redis-server with apt-get/);
  });

  it('says which apt-get command failed, and what to do instead', () => {
    script('apt-get', 'echo "E: Unable to locate package redis-server" >&2; exit 100');
    const result = ensureRedisServer(say, true);
    expect(!result.ok && result.message).toMatch(/`apt-get update -qq` failed \(exit 100\): E: Unable to locate package redis-server\. Install redis-server yourself/);
  });
});
