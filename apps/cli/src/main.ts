#!/usr/bin/env node
// lookout: node apps/cli/src/main.ts <command> (npm run lookout -- <command>). See --help.
// The CLI speaks on stdout/stderr itself; library log lines (e.g. the audit shipper's retries)
// would mix into a token printed on stdout, so they are off unless LOOKOUT_LOG_LEVEL says otherwise.
process.env.LOOKOUT_LOG_LEVEL ??= 'silent';
const { runCli } = await import('./program.ts');
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
// Exit now: BullMQ and ioredis may keep timers alive for a while after disconnecting.
process.exit(code);
