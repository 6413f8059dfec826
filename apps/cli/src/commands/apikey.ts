import { Command } from 'commander';
import { ApiKeyStore, isKeyId } from '@lookout/apikeys';
import { REDACTED } from '@lookout/logger';
import { DeniedError } from '../errors.ts';
import { isKeyName, type Session } from '../session.ts';

type Run = (action: (session: Session) => Promise<void>) => () => Promise<void>;

export function apikeyCommand(run: Run, prefixDefault: string): Command {
  const apikey = new Command('apikey').description('MCP API keys in Redis (only their hashes are stored)');
  const prefix = (command: Command) => command.option('--prefix <prefix>', 'Redis key prefix', prefixDefault);

  prefix(
    apikey
      .command('create')
      .description('create an API key and print its token once (stdout); Redis keeps only its hash')
      .requiredOption('--name <name>', 'who or what the key is for, e.g. ci-bot'),
  ).action(function (this: Command) {
    const { name, prefix: keyPrefix } = this.opts<{ name: string; prefix: string }>();
    return run(async (session) => {
      const created = await session.audited(
        // The name is recorded only once it is known to be a plain label; a refused one is not kept.
        { action: 'admin.apikey.create', target: { type: 'api_key' }, metadata: { name: isKeyName(name) ? name : REDACTED } },
        async () => {
          if (!isKeyName(name)) {
            throw new DeniedError('--name must be 1 to 100 letters, digits, spaces or . _ @ : - (starting with a letter or digit) and must not look like a credential (it is shown in listings and audit events)');
          }
          return new ApiKeyStore(await session.redis(), { prefix: keyPrefix }).createApiKey({ name });
        },
        ({ keyId }) => ({ target: { type: 'api_key', id: keyId } }),
      );
      session.io.stderr(`created API key ${created.keyId} (${name}); the token below is shown only this once\n`);
      session.io.stdout(`${created.token}\n`);
    })();
  });

  prefix(apikey.command('revoke').description('revoke an API key by its key id (16 hex characters, see apikey list)').argument('<keyId>', 'the key id')).action(
    function (this: Command, keyId: string) {
      const { prefix: keyPrefix } = this.opts<{ prefix: string }>();
      return run(async (session) => {
        // The id is recorded once it names a key: a value that names none is only what was typed
        // (maybe a token pasted by mistake), so neither the record nor the message repeats it.
        await session.audited(
          { action: 'admin.apikey.revoke', target: { type: 'api_key' } },
          async () => {
            if (!isKeyId(keyId)) throw new DeniedError('<keyId> must be 16 lower-case hex characters, the key id shown by `lookout apikey list` (never the token)');
            const revoked = await new ApiKeyStore(await session.redis(), { prefix: keyPrefix }).revokeApiKey(keyId);
            if (!revoked) throw new Error('no API key with that id; see lookout apikey list');
          },
          () => ({ target: { type: 'api_key', id: keyId } }),
        );
        session.io.stdout(`revoked API key ${keyId}\n`);
      })();
    },
  );

  prefix(apikey.command('list').description('list API keys: id, name, created, revoked (never hashes or tokens)').option('--json', 'one JSON array instead of a table')).action(
    function (this: Command) {
      const { prefix: keyPrefix, json } = this.opts<{ prefix: string; json?: boolean }>();
      return run(async (session) => {
        const keys = await session.audited(
          { action: 'admin.apikey.list', target: { type: 'api_key' } },
          async () => new ApiKeyStore(await session.redis(), { prefix: keyPrefix }).listApiKeys(),
          (listed) => ({ metadata: { count: listed.length } }),
        );
        if (json) {
          session.io.stdout(`${JSON.stringify(keys, null, 2)}\n`);
          return;
        }
        if (keys.length === 0) {
          session.io.stdout('no API keys; create one with: lookout apikey create --name <name>\n');
          return;
        }
        const rows = keys.map((k) => [k.keyId, k.name, k.createdAt, k.revokedAt ?? '-']);
        const header = ['KEY ID', 'NAME', 'CREATED', 'REVOKED'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
        for (const row of [header, ...rows]) session.io.stdout(`${row.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd()}\n`);
      })();
    },
  );
  return apikey;
}
