import { Command, InvalidArgumentError, Option } from 'commander';
import { Queue, type Job } from 'bullmq';
import { REVIEW_QUEUE } from '@lookout/reviews';
import { DeniedError } from '../errors.ts';
import { parseJobId, type Session } from '../session.ts';

type Run = (action: (session: Session) => Promise<void>) => () => Promise<void>;

interface JobsOptions {
  queue: string;
  id?: string[];
  all?: boolean;
  limit: number;
}

const limit = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

function selection(command: Command): Command {
  return command
    .addOption(new Option('--queue <name>', 'BullMQ queue, as the worker names it').choices([REVIEW_QUEUE]).default(REVIEW_QUEUE))
    .option('--id <jobId...>', 'these failed jobs (review ids or job numbers)', parseJobId)
    .option('--all', 'every failed job (up to --limit)')
    .option('--limit <n>', 'at most this many jobs with --all', limit, 1000);
}

function checkSelection(options: JobsOptions): void {
  if (!options.all && !options.id?.length) throw new DeniedError('say which failed jobs: --id <jobId...> or --all');
  if (options.all && options.id?.length) throw new DeniedError('--id and --all exclude each other');
}

/** The failed jobs selected; ids that are missing or not failed are reported, not touched. */
async function failedJobs(queue: Queue, options: JobsOptions): Promise<{ jobs: Job[]; skipped: string[] }> {
  if (options.all) return { jobs: (await queue.getFailed(0, options.limit - 1)).filter(Boolean), skipped: [] };
  const jobs: Job[] = [];
  const skipped: string[] = [];
  for (const id of options.id ?? []) {
    const job = await queue.getJob(id);
    const state = job ? await job.getState() : 'missing';
    if (job && state === 'failed') jobs.push(job);
    else skipped.push(`${id} (${state})`);
  }
  return { jobs, skipped };
}

function jobsAction(session: Session, options: JobsOptions, verb: 'requeue' | 'purge') {
  return session.audited(
    { action: `admin.jobs.${verb}`, target: { type: 'queue', id: options.queue }, metadata: { selection: options.all ? 'all' : 'ids' } },
    async () => {
      checkSelection(options);
      const queue = new Queue(options.queue, { connection: await session.redis() });
      try {
        const { jobs, skipped } = await failedJobs(queue, options);
        for (const job of jobs) {
          if (verb === 'requeue') await job.retry('failed');
          else await job.remove();
        }
        const done = jobs.map((job) => String(job.id));
        if (skipped.length > 0) {
          throw new Error(`${verb === 'requeue' ? 'requeued' : 'purged'} ${done.length} job(s) [${done.join(', ')}]; not failed, so left alone: ${skipped.join(', ')}`);
        }
        return done;
      } finally {
        await queue.close();
      }
    },
    (done) => ({ metadata: { jobs: done.length, job_ids: done.slice(0, 100) } }),
  );
}

export function jobsCommand(run: Run): Command {
  const jobs = new Command('jobs').description(`failed BullMQ jobs of the worker's queue (${REVIEW_QUEUE})`);
  selection(jobs.command('requeue').description('move failed jobs back to waiting, so the worker runs them again')).action(function (this: Command) {
    const options = this.opts<JobsOptions>();
    return run(async (session) => {
      const done = await jobsAction(session, options, 'requeue');
      session.io.stdout(`requeued ${done.length} failed job(s)${done.length ? `: ${done.join(', ')}` : ''}\n`);
    })();
  });
  selection(jobs.command('purge').description('delete failed jobs for good')).action(function (this: Command) {
    const options = this.opts<JobsOptions>();
    return run(async (session) => {
      const done = await jobsAction(session, options, 'purge');
      session.io.stdout(`purged ${done.length} failed job(s)${done.length ? `: ${done.join(', ')}` : ''}\n`);
    })();
  });
  return jobs;
}
