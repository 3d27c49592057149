// Reads of pg-boss's job table for status pages and the admin's list. pg-boss has no query by
// state across queues, so these read its table directly (columns stable within pg-boss 12).
// The job table has no household_id column and no RLS: household scoping is done here, by the
// household id the kernel wrote into every job's data.
import type { Sql } from 'postgres';
import { JOB_SCHEMA } from './schema.ts';
import type { JobRecord, JobState } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

/** The message of a failed job's output: ours ({message}), pg-boss's timeouts, or raw JSON. */
export function errorMessage(output: unknown): string | null {
  if (output == null) return null;
  if (typeof output === 'string') return output;
  const o = output as { message?: unknown; value?: { message?: unknown } };
  if (typeof o.message === 'string') return o.message;
  if (typeof o.value?.message === 'string') return o.value.message;
  return JSON.stringify(output).slice(0, 500);
}

type Row = {
  id: string; name: string; state: JobState; retry_count: number; retry_limit: number; output: unknown;
  household_id: string | null; created_on: Date; started_on: Date | null; completed_on: Date | null;
};

function toRecord(r: Row): JobRecord {
  return {
    id: r.id,
    queue: r.name,
    state: r.state,
    householdId: r.household_id,
    // retry_count rises each time a job is claimed again, so runs so far = retry_count + 1.
    attempts: r.state === 'created' ? 0 : r.retry_count + 1,
    retryLimit: r.retry_limit,
    error: r.state === 'failed' || r.state === 'retry' ? errorMessage(r.output) : null,
    createdAt: r.created_on,
    startedAt: r.started_on,
    completedAt: r.completed_on,
  };
}

const columns = `id, name, state::text as state, retry_count, retry_limit, output, data->>'householdId' as household_id,
  created_on, started_on, completed_on`;

// pg-boss's key is (name, id): naming the queues turns a lookup by id into index probes.
const byId = `select ${columns} from ${JOB_SCHEMA}.job where name = any($1::text[]) and id = $2`;

/** A job of this household in one of `queues` (those declared in this process). */
export async function findJob(sql: Sql, queues: string[], householdId: string, jobId: string): Promise<JobRecord | null> {
  if (!isUuid(jobId) || !queues.length) return null;
  const [row] = await sql.unsafe(`${byId} and data->>'householdId' = $3`, [queues, jobId, householdId]);
  return row ? toRecord(row as unknown as Row) : null;
}

/** Any household's job: for the instance admin only. */
export async function findAnyJob(sql: Sql, queues: string[], jobId: string): Promise<JobRecord | null> {
  if (!isUuid(jobId) || !queues.length) return null;
  const [row] = await sql.unsafe(byId, [queues, jobId]);
  return row ? toRecord(row as unknown as Row) : null;
}

export async function listJobs(sql: Sql, f: { state?: JobState; queue?: string; limit?: number }): Promise<JobRecord[]> {
  const rows = await sql.unsafe(
    `select ${columns} from ${JOB_SCHEMA}.job
     where ($1::text is null or state::text = $1) and ($2::text is null or name = $2)
     order by coalesce(completed_on, started_on, created_on) desc limit $3`,
    [f.state ?? null, f.queue ?? null, Math.min(Math.max(f.limit ?? 50, 1), 500)],
  );
  return (rows as unknown as Row[]).map(toRecord);
}
