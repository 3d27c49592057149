// Progress a running job reports ("40 of 120"), kept per household under row-level security so a
// household's UI can read it back through its own bound transaction and nobody else's.
import type { Tx } from '../db/household-binding.ts';
import type { JobProgress } from './types.ts';

const KEEP_DAYS = 7;

export async function writeProgress(tx: Tx, job: { householdId: string; jobId: string; queue: string }, p: JobProgress): Promise<void> {
  if (!Number.isFinite(p.done) || p.done < 0) throw new RangeError('progress.done must be a number >= 0');
  if (p.total != null && (!Number.isFinite(p.total) || p.total < 0)) throw new RangeError('progress.total must be a number >= 0');
  const message = p.message == null ? null : String(p.message).slice(0, 500);
  await tx`
    insert into kernel.job_progress (household_id, job_id, queue, done, total, message)
    values (${job.householdId}, ${job.jobId}, ${job.queue}, ${p.done}, ${p.total ?? null}, ${message})
    on conflict (household_id, job_id) do update
      set done = excluded.done, total = excluded.total, message = excluded.message, updated_at = now()`;
}

/** Old rows go when the same household's jobs report again (RLS lets no one sweep all households). */
export async function pruneProgress(tx: Tx, householdId: string): Promise<void> {
  await tx`delete from kernel.job_progress
           where household_id = ${householdId} and updated_at < now() - make_interval(days => ${KEEP_DAYS})`;
}

export async function readProgress(tx: Tx, householdId: string, jobId: string): Promise<JobProgress | null> {
  const [row] = await tx`select done, total, message from kernel.job_progress
                         where household_id = ${householdId} and job_id = ${jobId}`;
  if (!row) return null;
  return { done: Number(row.done), total: row.total == null ? null : Number(row.total), message: row.message };
}
