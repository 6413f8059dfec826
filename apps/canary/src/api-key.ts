// The canary's own API key: a key like any other (hash in Redis, named "canary"), whose token the
// canary keeps in a file only it reads (0600). Created at start when the file is missing or its key
// is unknown, and audited as admin.apikey.create by the canary. A revoked key is left revoked: an
// operator did that, and the probes then report `auth`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApiKeyStore } from '@lookout/apikeys';
import type { Audit } from '@lookout/audit';

export const CANARY_KEY_NAME = 'canary';

export async function ensureCanaryKey(store: Pick<ApiKeyStore, 'verifyApiKey' | 'createApiKey'>, keyFile: string, audit: Pick<Audit, 'record'>): Promise<{ token: string; created: boolean }> {
  const existing = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
  if (existing) {
    const verdict = await store.verifyApiKey(existing);
    if (verdict.ok || verdict.reason === 'revoked') return { token: existing, created: false };
  }
  const { keyId, token } = await store.createApiKey({ name: CANARY_KEY_NAME });
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, `${token}\n`, { mode: 0o600 });
  await audit.record({
    action: 'admin.apikey.create',
    actor: { type: 'service', id: 'canary' },
    target: { type: 'api_key', id: keyId },
    outcome: 'success',
    metadata: { name: CANARY_KEY_NAME, source: 'canary start-up' },
  });
  return { token, created: true };
}
