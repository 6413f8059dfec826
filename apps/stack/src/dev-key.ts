import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The local stack's API key: made once, kept in the data dir (mode 0600), and handed to the
 * mcp-server as LOOKOUT_SEED_API_KEY, which stores only its hash.
 */
export function devApiKey(dataDir: string): string {
  const file = join(dataDir, 'dev-api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = `lk_dev${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
