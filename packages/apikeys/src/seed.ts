// Seeds one API key until the `lookout apikey` CLI exists:
//   node packages/apikeys/src/seed.ts --name ci-bot [--redis-url redis://127.0.0.1:6379]
// The token goes to stdout, once, and nowhere else; Redis keeps only its hash.
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { Redis } from 'ioredis';
import { ApiKeyStore } from './store.ts';

export interface SeedIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const redisUrl = (value: string) => {
  if (!/^rediss?:\/\//.test(value)) throw new InvalidArgumentError('must be a redis:// or rediss:// URL');
  return value;
};

export function seedCommand(io: SeedIo): Command {
  return new Command('seed')
    .description('Create an MCP API key and print its token once. Redis stores only a hash of it.')
    .requiredOption('--name <name>', 'who or what the key is for, e.g. ci-bot')
    .option('--redis-url <url>', 'Redis holding the keys (env REDIS_URL)', redisUrl, io.env.REDIS_URL || 'redis://127.0.0.1:6379')
    .option('--prefix <prefix>', 'Redis key prefix', 'lookout')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action(async (options: { name: string; redisUrl: string; prefix: string }) => {
      // One attempt, no offline queue: a CLI should fail fast when Redis is not there.
      const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
      // Keep the connection error for the message; without a listener ioredis prints it with a stack.
      let connectionError: Error | undefined;
      redis.on('error', (error: Error) => (connectionError ??= error));
      try {
        await redis.connect().catch((error: unknown) => {
          throw connectionError ?? error;
        });
        const { keyId, token } = await new ApiKeyStore(redis, { prefix: options.prefix }).createApiKey({ name: options.name });
        io.stderr(`created API key ${keyId} (${options.name}); the token below is shown only this once\n`);
        io.stdout(`${token}\n`);
      } finally {
        redis.disconnect();
      }
    });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const io: SeedIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env };
  seedCommand(io)
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      // The message, not the stack: a connection error is the usual case and says enough.
      io.stderr(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
      // Exit now: a failed ioredis connection keeps a timer alive for a while.
      process.exit(1);
    });
}
