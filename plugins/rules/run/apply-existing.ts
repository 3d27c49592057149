// "Apply to existing transactions": a preview (how many would change, and a sample), then on
// confirm a job that applies the rules page by page, recording its progress in apply_runs so the
// page and the API can show "40,000 of 120,000". Each page commits with its progress, so a retried
// job continues to count correctly (a re-run changes nothing already changed).
import { notFound, type PluginContext, type PluginSql } from '../../../plugin-sdk/index.ts';
import { countInScope, type Scope } from '../ledger/transactions.ts';
import { writeChanges } from '../ledger/write-changes.ts';
import { isUuid } from '../store/rules.ts';
import { countFired, loadRuleSet, recordFired } from './rule-set.ts';
import { describe, scanPages, type SampleItem } from './scan.ts';

export type ApplyInput = { ruleIds?: string[] | null; from?: string | null; to?: string | null };
export type Preview = { scanned: number; matched: number; sample: SampleItem[] };

const SAMPLE_SIZE = 20;

async function checkRules(sql: PluginSql, ids: string[] | null | undefined): Promise<void> {
  if (!ids?.length) return;
  const bad = ids.filter((id) => !isUuid(id));
  const found = bad.length ? [] : (await sql`select id from rules where id = any(${ids}::uuid[])`).map((r) => r.id as string);
  const missing = ids.filter((id) => !found.includes(id));
  if (missing.length) throw notFound(`no rule ${missing.join(', ')}`);
}

export async function previewApply(ctx: PluginContext, input: ApplyInput): Promise<Preview> {
  const { sql } = ctx.db;
  await checkRules(sql, input.ruleIds);
  const set = await loadRuleSet(sql, input.ruleIds);
  const result: Preview = { scanned: 0, matched: 0, sample: [] };
  await scanPages(sql, (fn) => fn(sql), set, scopeOf(input), async (_sql, page) => {
    result.scanned += page.scanned;
    result.matched += page.changes.length;
    for (const c of page.changes) {
      if (result.sample.length >= SAMPLE_SIZE) break;
      result.sample.push(describe(set, c));
    }
  });
  return result;
}

const scopeOf = (i: ApplyInput): Scope => ({ from: i.from ?? null, to: i.to ?? null });

export type ApplyRun = {
  id: string; status: 'queued' | 'running' | 'done' | 'failed'; ruleIds: string[] | null; from: string | null; to: string | null;
  previewed: number | null; total: number | null; done: number; changed: number; error: string | null; jobId: string | null;
  createdAt: string; startedAt: string | null; finishedAt: string | null;
};

const iso = (v: unknown) => (v == null ? null : (v instanceof Date ? v : new Date(String(v))).toISOString());
const toRun = (r: Record<string, unknown>): ApplyRun => ({
  id: r.id as string,
  status: r.status as ApplyRun['status'],
  ruleIds: (r.rule_ids as string[] | null) ?? null,
  from: (r.date_from as string | null) ?? null,
  to: (r.date_to as string | null) ?? null,
  previewed: (r.previewed as number | null) ?? null,
  total: (r.total as number | null) ?? null,
  done: r.done as number,
  changed: r.changed as number,
  error: (r.error as string | null) ?? null,
  jobId: (r.job_id as string | null) ?? null,
  createdAt: iso(r.created_at)!,
  startedAt: iso(r.started_at),
  finishedAt: iso(r.finished_at),
});
const runColumns = (sql: PluginSql) => sql`id, status, rule_ids, date_from::text as date_from, date_to::text as date_to, previewed,
  total, done, changed, error, job_id, created_at, started_at, finished_at`;

/** Records the run and enqueues the job. `previewed` is what the user was shown before confirming. */
export async function startApply(ctx: PluginContext, input: ApplyInput & { previewed?: number | null }): Promise<ApplyRun> {
  const { sql } = ctx.db;
  await checkRules(sql, input.ruleIds);
  const [row] = await sql`insert into apply_runs (rule_ids, date_from, date_to, previewed, created_by)
    values (${input.ruleIds?.length ? input.ruleIds : null}::uuid[], ${input.from ?? null}::date, ${input.to ?? null}::date,
      ${input.previewed ?? null}::int, ${ctx.user?.id ?? null}::uuid)
    returning id`;
  const runId = row.id as string;
  const jobId = await ctx.jobs.enqueue('apply', { runId });
  await sql`update apply_runs set job_id = ${jobId} where id = ${runId}`;
  return getRun(sql, runId);
}

export async function getRun(sql: PluginSql, id: string): Promise<ApplyRun> {
  if (!isUuid(id)) throw notFound('no such run');
  const [row] = await sql`select ${runColumns(sql)} from apply_runs where id = ${id}`;
  if (!row) throw notFound('no such run');
  return toRun(row);
}

export async function recentRuns(sql: PluginSql, limit = 5): Promise<ApplyRun[]> {
  return (await sql`select ${runColumns(sql)} from apply_runs order by created_at desc limit ${limit}`).map(toRun);
}

/** The job: applies the run's rules to every transaction in its scope, committing page by page. */
export async function applyJob(ctx: PluginContext, runId: string, pageSize?: number): Promise<void> {
  const { sql } = ctx.db;
  const run = await getRun(sql, runId);
  if (run.status === 'done') return;
  const scope = scopeOf(run);
  const total = await countInScope(sql, scope);
  await sql`update apply_runs set status = 'running', started_at = coalesce(started_at, now()), total = ${total}, done = 0,
    error = null where id = ${runId}`;
  // Fire counts are added once at the end (also when the run fails): two pages are written at once,
  // and both updating the same rules' counters inside their transactions could deadlock.
  const fired = new Map<string, number>();
  let done = 0;
  let changedSoFar = run.changed;
  try {
    const set = await loadRuleSet(sql, run.ruleIds, ctx.log);
    await scanPages(sql, (fn) => ctx.db.tx(fn), set, scope, async (tx, page) => {
      const changed = new Set(await writeChanges(tx, page.changes));
      await tx`update apply_runs set done = done + ${page.scanned}, changed = changed + ${changed.size} where id = ${runId}`;
      for (const c of page.changes) if (changed.has(c.id)) countFired(fired, c.fired);
      done += page.scanned;
      changedSoFar += changed.size;
      // The kernel's job status (GET /api/v1/jobs/<id>) shows it too; apply_runs is what the page reads.
      await ctx.jobs.progress({ done, total, message: `${changedSoFar} changed` }).catch(() => {});
    // Changes are written 5,000 at a time (or every second), not per page: far fewer commits when
    // most pages change little.
    }, { pageSize, concurrency: 2, batch: { changes: 5_000, ms: 1_000 } });
    await recordFired(sql, fired);
    await sql`update apply_runs set status = 'done', finished_at = now() where id = ${runId}`;
    ctx.log.info('rules applied to existing transactions', { runId, total });
  } catch (err) {
    await recordFired(sql, fired).catch(() => {});
    await sql`update apply_runs set status = 'failed', error = ${String((err as Error).message).slice(0, 2000)} where id = ${runId}`;
    throw err;
  }
}
