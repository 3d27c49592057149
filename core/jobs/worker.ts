// Turns a plugin's household-bound handler into a pg-boss batch handler. Each job of a batch runs
// concurrently and is settled on its own (perJobResults): one failure retries that job only.
import type { JobResult, JobWithMetadata } from 'pg-boss';
import type { Database } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { pruneProgress, writeProgress } from './progress.ts';
import type { JobContext, JobHandler, QueueOptions } from './types.ts';

/** What the kernel stores as a job's data: the household travels with every job. */
export type HouseholdJobData = { householdId: string; userId?: string | null; data: unknown };
/** A schedule's job: the kernel expands it into one job per household. */
export type FanOutJobData = { fanOut: true; data?: unknown };
export type JobData = HouseholdJobData | FanOutJobData;

export type RunnerDeps = {
  db: Database;
  log: Logger;
  /** Enqueues one job per household for a schedule's firing. */
  fanOut(queue: string, data: unknown): Promise<number>;
};

const isFanOut = (d: JobData): d is FanOutJobData => (d as FanOutJobData).fanOut === true;

function failure(err: unknown): { message: string; name?: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, name: err.name, stack: err.stack?.split('\n').slice(0, 8).join('\n') };
  return { message: String(err) };
}

/** `current()` is read for every job, so declaring a queue again swaps its handler in place. */
export function createRunner<T>(deps: RunnerDeps, queue: string, current: () => { handler: JobHandler<T>; opts: QueueOptions<T> }) {
  const runOne = async (job: JobWithMetadata<JobData>): Promise<JobResult> => {
    const { handler, opts } = current();
    const d = job.data;
    if (isFanOut(d)) {
      const count = await deps.fanOut(queue, d.data);
      return { id: job.id, status: 'completed', output: { fannedOut: count } };
    }
    const log = deps.log.child({ queue, jobId: job.id, householdId: d.householdId });
    let pruned = false;
    const data = opts.schema ? opts.schema.parse(d.data) : (d.data as T);
    const ctx: JobContext<T> = {
      jobId: job.id,
      queue,
      householdId: d.householdId,
      userId: d.userId ?? null,
      data,
      attempt: job.retryCount + 1,
      retriesLeft: Math.max(0, job.retryLimit - job.retryCount),
      withHousehold: (fn) => deps.db.withHousehold({ householdId: d.householdId, userId: d.userId ?? null }, fn),
      progress: (p) =>
        deps.db.withHousehold({ householdId: d.householdId }, async (tx) => {
          await writeProgress(tx, { householdId: d.householdId, jobId: job.id, queue }, p);
          if (!pruned) await pruneProgress(tx, d.householdId);
          pruned = true;
        }),
      log,
      signal: job.signal,
    };
    const started = performance.now();
    const output = await handler(ctx);
    log.debug('job completed', { ms: Math.round(performance.now() - started) });
    return { id: job.id, status: 'completed', output: output && typeof output === 'object' ? output : output === undefined ? undefined : { value: output } };
  };

  return async (jobs: JobWithMetadata<JobData>[]): Promise<JobResult[]> =>
    Promise.all(
      jobs.map((job) =>
        runOne(job).catch((err): JobResult => {
          deps.log.warn('job failed', { queue, jobId: job.id, attempt: job.retryCount + 1, err: failure(err).message });
          return { id: job.id, status: 'failed', output: failure(err) };
        }),
      ),
    );
}
