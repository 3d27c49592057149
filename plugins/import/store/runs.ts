// The job's side of the imports table: its plan, its progress and its outcome.
import type { PluginSql } from '../../../plugin-sdk/index.ts';
import type { Plan } from '../run/plan.ts';
import type { ImportResult } from '../run/result.ts';

/** How long a running import may go without progress before another run may take it over (its job died). */
const STALE_RUN = '2 minutes';

/**
 * Claims the import for this run: queued or failed, or running but silent for a while (the process
 * running it died). A second job for the same import (a user's retry while the bus's own retry is
 * pending) finds it claimed and leaves it alone.
 */
export async function claimRun(sql: PluginSql, id: string): Promise<boolean> {
  const rows = await sql`update imports set status = 'running', started_at = coalesce(started_at, now()), error = null, updated_at = now()
    where id = ${id} and (status in ('queued', 'failed') or (status = 'running' and updated_at < now() - ${STALE_RUN}::interval))
    returning id`;
  return rows.length === 1;
}

export async function readPlan(sql: PluginSql, id: string): Promise<Plan | null> {
  const [row] = await sql`select plan from imports where id = ${id}`;
  const plan = row?.plan;
  return plan == null ? null : ((typeof plan === 'string' ? JSON.parse(plan) : plan) as Plan);
}

export async function savePlan(sql: PluginSql, id: string, plan: Plan): Promise<void> {
  await sql`update imports set plan = ${JSON.stringify(plan)}::text::jsonb, total = ${plan.total}, updated_at = now() where id = ${id}`;
}

export type RunState = { done: number; added: number; removed: number };

/** Rows written so far, and how many the ledger inserted and removed; only moves forward. */
export async function recordProgress(sql: PluginSql, id: string, s: RunState): Promise<void> {
  const counts = JSON.stringify({ added: s.added, removed: s.removed });
  await sql`update imports set done = ${s.done}, result = coalesce(result, '{}'::jsonb) || ${counts}::text::jsonb, updated_at = now()
    where id = ${id} and done <= ${s.done}`;
}

export async function readProgress(sql: PluginSql, id: string): Promise<RunState> {
  const [row] = await sql`select done, coalesce((result->>'added')::int, 0) as added, coalesce((result->>'removed')::int, 0) as removed
    from imports where id = ${id}`;
  return { done: Number(row?.done ?? 0), added: Number(row?.added ?? 0), removed: Number(row?.removed ?? 0) };
}

/** Done: the result is kept, the file is not (it is no longer needed). */
export async function finishRun(sql: PluginSql, id: string, result: ImportResult): Promise<void> {
  await sql`update imports set status = 'done', result = ${JSON.stringify(result)}::text::jsonb, content = null,
      finished_at = now(), updated_at = now() where id = ${id}`;
}

/** Failed: the file and plan stay (until expiry) so the import can be retried and resume. */
export async function failRun(sql: PluginSql, id: string, error: string, keepHours: number): Promise<void> {
  await sql`update imports set status = 'failed', error = ${error.slice(0, 4000)}, finished_at = now(),
      expires_at = greatest(expires_at, now() + make_interval(hours => ${keepHours})), updated_at = now() where id = ${id}`;
}

/** failed → queued again (the user's retry): the job resumes where the ledger's cursor says. */
export async function requeue(sql: PluginSql, id: string): Promise<boolean> {
  const rows = await sql`update imports set status = 'queued', error = null, finished_at = null, updated_at = now()
    where id = ${id} and status = 'failed' and content is not null returning id`;
  return rows.length === 1;
}
