// npm start must not stop a newcomer who ran the README's two commands: where Debian's redis-server
// is missing and we may install packages (root with apt-get, as in CI and containers), install it as
// .ci/run does, with a progress line; otherwise name the exact command to run.
import { spawnSync } from 'node:child_process';
import { which } from '@lookout/process-kit';

export type RedisServerCheck = { ok: true; installed: boolean } | { ok: false; message: string };

const INSTALL = ['apt-get install -y -qq redis-server'];
const HOW_TO = 'sudo apt-get install redis-server (Debian/Ubuntu), or brew install redis (macOS); then run npm start again';

/** Ensures redis-server is on PATH, installing it with apt-get when running as root. */
export function ensureRedisServer(say: (line: string) => void, isRoot = process.getuid?.() === 0): RedisServerCheck {
  if (which('redis-server')) return { ok: true, installed: false };
  if (!isRoot || !which('apt-get')) return { ok: false, message: `stack: redis-server is not installed. Install it with: ${HOW_TO}.` };
  say('redis-server is not installed: installing Debian\'s redis-server with apt-get (running as root; about a minute)…');
  for (const command of ['apt-get update -qq', ...INSTALL]) {
    const result = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8' });
    if (result.status !== 0) {
      return { ok: false, message: `stack: \`${command}\` failed (exit ${result.status}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}. Install redis-server yourself: ${HOW_TO}.` };
    }
  }
  if (!which('redis-server')) return { ok: false, message: `stack: apt-get installed redis-server but it is not on PATH (${process.env.PATH}). ${HOW_TO}.` };
  say('redis-server installed.');
  return { ok: true, installed: true };
}
