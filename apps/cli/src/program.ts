import { Command, CommanderError } from 'commander';
import { apikeyCommand } from './commands/apikey.ts';
import { auditCommand } from './commands/audit.ts';
import { driftCommand } from './commands/drift.ts';
import { jobsCommand } from './commands/jobs.ts';
import { sloCommand } from './commands/slo.ts';
import { traceCommand } from './commands/trace.ts';
import { DeniedError, EXIT, UsageError } from './errors.ts';
import { DEFAULT_REDIS_URL } from '@lookout/service-kit/env';
import { parseRedisUrl, Session, type GlobalOptions, type Io } from './session.ts';

/** Runs the lookout command line; resolves with the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let session: Session | undefined;
  const program = new Command('lookout')
    .description("Lookout's privileged operations. Each one is recorded in the audit trail with the operator and its outcome.")
    .option('--redis-url <url>', 'Redis with the API keys and queues (env REDIS_URL)', parseRedisUrl, io.env.REDIS_URL || DEFAULT_REDIS_URL)
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  const run = (action: (session: Session) => Promise<void>) => async () => {
    session = new Session(io, program.opts<GlobalOptions>());
    await action(session);
  };
  program.addCommand(apikeyCommand(run, 'lookout'));
  program.addCommand(jobsCommand(run));
  program.addCommand(auditCommand(run, io.env));
  program.addCommand(driftCommand(run, io.env));
  program.addCommand(sloCommand(io));
  program.addCommand(traceCommand(io));
  // Every subcommand exits through here too, with the same output.
  for (const command of program.commands) {
    command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride().showHelpAfterError('(add --help for usage)');
    for (const sub of command.commands) sub.configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride().showHelpAfterError('(add --help for usage)');
  }

  let code: number;
  try {
    await program.parseAsync(argv, { from: 'user' });
    code = process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are exit 0; anything else commander refused is a usage error, already printed.
      code = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else if (error instanceof UsageError || error instanceof DeniedError) {
      io.stderr(`lookout: ${error.message}\n`);
      code = EXIT.usage;
    } else {
      io.stderr(`lookout: ${error instanceof Error ? error.message : String(error)}\n`);
      code = EXIT.failed;
    }
  }
  try {
    await session?.close();
  } catch (error) {
    io.stderr(`lookout: could not close the audit trail: ${error instanceof Error ? error.message : String(error)}\n`);
    code = code || EXIT.failed;
  }
  return code;
}
