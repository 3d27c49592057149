// The goals table, read and written through the household-bound ctx.db. Amounts are decimal
// strings end to end (numeric in SQL), never floats.
import type { PluginContext, PluginSql } from '../../plugin-sdk/index.ts';

export type Goal = {
  id: string;
  name: string;
  target: string;
  saved: string;
  currency: string;
  targetDate: string | null;
  reachedAt: string | null;
  progress: number; // whole percent, capped at 100
};

const columns = (sql: PluginSql) => sql`id, name, target::text, saved::text, currency, to_char(target_date, 'YYYY-MM-DD') as target_date,
  reached_at, least(100, floor(saved / target * 100))::int as progress`;

const toGoal = (r: Record<string, unknown>): Goal => ({
  id: r.id as string,
  name: r.name as string,
  target: r.target as string,
  saved: r.saved as string,
  currency: r.currency as string,
  targetDate: (r.target_date as string | null) ?? null,
  reachedAt: r.reached_at ? new Date(r.reached_at as string).toISOString() : null,
  progress: r.progress as number,
});

export async function listGoals(ctx: PluginContext, opts: { includeReached?: boolean; limit?: number } = {}): Promise<Goal[]> {
  const { sql } = ctx.db;
  const rows = await sql`select ${columns(sql)} from goals
    where ${opts.includeReached === false ? sql`reached_at is null` : sql`true`}
    order by reached_at nulls first, target_date nulls last, created_at
    limit ${opts.limit ?? 1000}`;
  return rows.map(toGoal);
}

export async function getGoal(ctx: PluginContext, id: string): Promise<Goal | null> {
  const { sql } = ctx.db;
  const [row] = await sql`select ${columns(sql)} from goals where id = ${id}`;
  return row ? toGoal(row) : null;
}

export async function createGoal(ctx: PluginContext, g: { name: string; target: string; currency?: string; targetDate?: string | null }): Promise<Goal> {
  const { sql } = ctx.db;
  const [row] = await sql`insert into goals (household_id, name, target, currency, target_date)
    values (${ctx.household.id}, ${g.name}, ${g.target}, ${g.currency ?? ctx.household.baseCurrency}, ${g.targetDate ?? null})
    returning ${columns(sql)}`;
  return toGoal(row);
}

/** Adds a deposit; the goal's reached_at is set the first time saved reaches the target. */
export async function deposit(ctx: PluginContext, id: string, amount: string): Promise<{ goal: Goal; justReached: boolean } | null> {
  return ctx.db.tx(async (sql) => {
    const [before] = await sql`select reached_at from goals where id = ${id} for update`;
    if (!before) return null;
    const [row] = await sql`update goals set saved = saved + ${amount},
        reached_at = coalesce(reached_at, case when saved + ${amount} >= target then now() end)
      where id = ${id} returning ${columns(sql)}`;
    const goal = toGoal(row);
    return { goal, justReached: !before.reached_at && goal.reachedAt !== null };
  });
}

export async function deleteGoal(ctx: PluginContext, id: string): Promise<boolean> {
  const rows = await ctx.db.sql`delete from goals where id = ${id} returning id`;
  return rows.length > 0;
}
