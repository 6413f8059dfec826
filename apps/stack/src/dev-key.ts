import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateToken } from '@lookout/apikeys';

/**
 * The local stack's API key: made once, kept in the data dir (mode 0600), and handed to the
 * mcp-server as LOOKOUT_SEED_API_KEY, which stores only its hash.
 */
export function devApiKey(dataDir: string): string {
  const file = join(dataDir, 'dev-api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const { token } = generateToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
