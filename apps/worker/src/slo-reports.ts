// The scheduled SLO report: a BullMQ job scheduler on its own queue (slo-reports, so the review
// queue's gauges and the job-success SLO count reviews and digests only) runs a job on a cron
// pattern, daily by default; the job writes the previous period's report as CSV into the reports
// directory (@lookout/slo-report). Measured: runs by outcome, and the newest file's age.
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { InstrumentsFor } from '@lookout/catalog';
import type { Logger } from '@lookout/logger';
import { newestReportAge, previousPeriod, REPORT_COLUMNS, sloReport, toCsv, writeReportFile } from '@lookout/slo-report';

export const SLO_REPORT_QUEUE = 'slo-reports';
const SCHEDULER_ID = 'slo-report';

export interface SloReportSchedule {
  /** Cron pattern with seconds, in UTC; default '0 10 0 * * *' (00:10:00 UTC daily). */
  cron: string;
  /** Length of the period each report covers, seconds; default 86 400 (the previous UTC day). */
  periodSeconds: number;
  /** One row per SLO every step, seconds; default 3600. */
  stepSeconds: number;
  /** Where the CSV files go; default ./.data/reports. */
  dir: string;
  prometheusUrl: string;
}

export interface StartSloReportsOptions {
  connection: Redis;
  schedule: SloReportSchedule;
  instruments: Pick<InstrumentsFor<'worker'>, 'sloReportRuns' | 'sloReportAge'>;
  logger: Logger;
}

export interface SloReports {
  queue: Queue;
  worker: Worker;
  close(): Promise<void>;
}

/** Writes the report of the period before `now`; returns the file. */
export async function writeSloReport(schedule: SloReportSchedule, now = new Date()): Promise<{ file: string; rows: number }> {
  const period = previousPeriod(now, schedule.periodSeconds);
  // query_range includes its end: stop one step short, so a row belongs to one period only.
  const end = new Date(period.end.getTime() - schedule.stepSeconds * 1000);
  const rows = await sloReport({ prometheusUrl: schedule.prometheusUrl, start: period.start, end, stepSeconds: schedule.stepSeconds });
  return { file: writeReportFile(schedule.dir, period, toCsv(REPORT_COLUMNS, rows)), rows: rows.length };
}

export function startSloReports({ connection, schedule, instruments, logger }: StartSloReportsOptions): SloReports {
  const queue = new Queue(SLO_REPORT_QUEUE, { connection });
  // Both outcomes exist from the start at 0, so increase() and an alert on failures see the first one.
  instruments.sloReportRuns.add(0, { outcome: 'success' });
  instruments.sloReportRuns.add(0, { outcome: 'failure' });
  // Upsert: a changed pattern replaces the old schedule; several workers share one scheduler. Not
  // awaited: the worker serves /health while Redis is still unreachable (the call waits for it).
  queue
    .upsertJobScheduler(SCHEDULER_ID, { pattern: schedule.cron, tz: 'UTC' }, {
      name: 'slo-report',
      data: {},
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: 100, removeOnFail: 100 },
    })
    .catch((error: unknown) => logger.error({ err: error }, 'could not schedule the SLO report; restart the worker once Redis is back'));
  const worker = new Worker(
    SLO_REPORT_QUEUE,
    async (job) => {
      try {
        const written = await writeSloReport(schedule, new Date(job.timestamp));
        instruments.sloReportRuns.add(1, { outcome: 'success' });
        logger.info({ file: written.file, rows: written.rows }, 'slo report written');
        return written;
      } catch (error) {
        instruments.sloReportRuns.add(1, { outcome: 'failure' });
        logger.error({ err: error }, 'slo report failed');
        throw error;
      }
    },
    { connection, concurrency: 1 },
  );
  worker.on('error', (error) => logger.error({ err: error }, 'slo report worker error'));
  const stopAge = instruments.sloReportAge.addCallback((observer) => {
    const age = newestReportAge(schedule.dir);
    if (age !== undefined) observer.observe(age);
  });
  return {
    queue,
    worker,
    close: async () => {
      stopAge();
      await worker.close();
      await queue.close();
    },
  };
}
