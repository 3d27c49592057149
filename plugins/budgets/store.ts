// The budgets table through the household-bound ctx.db, with each budget's category read from the
// ledger (granted read of ledger.categories). A budget's category must be an expense category or
// group of this household: budgets count spending.
import { badRequest, notFound, type PluginSql } from '../../plugin-sdk/index.ts';
import { BudgetInput, type BudgetInputT } from './schemas.ts';
import type { PeriodSpec, PeriodType } from './periods.ts';

export type Budget = {
  id: string; categoryId: string; categoryName: string | null; isGroup: boolean; name: string | null; label: string;
  amount: string; currency: string; periodType: PeriodType; year: number | null; month: number | null; quarter: number | null;
  startDate: string | null; endDate: string | null; rollover: boolean; createdAt: string; updatedAt: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);
const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();

const select = (sql: PluginSql) => sql`select b.id, b.category_id, c.name as category_name, coalesce(c.parent_id is null, false) as is_group,
    b.name, coalesce(b.name, c.name, 'Deleted category') as label, b.amount::text as amount, b.currency, b.period_type,
    b.year, b.month, b.quarter, b.start_date::text as start_date, b.end_date::text as end_date, b.rollover, b.created_at, b.updated_at
  from budgets b left join ledger.categories c on c.id = b.category_id`;

function toBudget(r: Record<string, unknown>): Budget {
  return {
    id: r.id as string,
    categoryId: r.category_id as string,
    categoryName: (r.category_name as string | null) ?? null,
    isGroup: r.is_group as boolean,
    name: (r.name as string | null) ?? null,
    label: r.label as string,
    amount: r.amount as string,
    currency: r.currency as string,
    periodType: r.period_type as PeriodType,
    year: (r.year as number | null) ?? null,
    month: (r.month as number | null) ?? null,
    quarter: (r.quarter as number | null) ?? null,
    startDate: (r.start_date as string | null) ?? null,
    endDate: (r.end_date as string | null) ?? null,
    rollover: r.rollover as boolean,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export const specOf = (b: Pick<Budget, 'periodType' | 'year' | 'month' | 'quarter' | 'startDate' | 'endDate'>): PeriodSpec => {
  switch (b.periodType) {
    case 'monthly':
      return { type: 'monthly', year: b.year!, month: b.month! };
    case 'quarterly':
      return { type: 'quarterly', year: b.year!, quarter: b.quarter! };
    case 'annual':
      return { type: 'annual', year: b.year! };
    case 'custom':
      return { type: 'custom', startDate: b.startDate!, endDate: b.endDate! };
  }
};

export async function listBudgets(sql: PluginSql): Promise<Budget[]> {
  const rows = await sql`${select(sql)} order by lower(coalesce(b.name, c.name, '')), b.created_at, b.id`;
  return rows.map(toBudget);
}

export async function getBudget(sql: PluginSql, id: string): Promise<Budget> {
  if (!isUuid(id)) throw notFound('no such budget');
  const [row] = await sql`${select(sql)} where b.id = ${id}`;
  if (!row) throw notFound('no such budget');
  return toBudget(row);
}

export function parseBudget(input: unknown): BudgetInputT {
  const r = BudgetInput.safeParse(input);
  if (r.success) return r.data;
  throw badRequest(r.error.issues.map((i) => `body.${i.path.join('.') || 'budget'}: ${i.message}`).join('; '));
}

async function checkCategory(sql: PluginSql, id: string): Promise<void> {
  const [c] = await sql`select kind from ledger.categories where id = ${id}`;
  if (!c) throw notFound('no such category in this household');
  if (c.kind !== 'expense') throw badRequest(`body.categoryId: budgets count spending; this is a${c.kind === 'income' ? 'n income' : ' transfer'} category`);
}

export async function createBudget(sql: PluginSql, input: unknown, baseCurrency: string): Promise<Budget> {
  const b = parseBudget(input);
  await checkCategory(sql, b.categoryId);
  const [row] = await sql`insert into budgets (category_id, name, amount, currency, period_type, year, month, quarter, start_date, end_date, rollover)
    values (${b.categoryId}, ${b.name || null}, ${b.amount}::numeric, ${b.currency ?? baseCurrency}, ${b.periodType}, ${b.year ?? null}::int,
      ${b.month ?? null}::int, ${b.quarter ?? null}::int, ${b.startDate ?? null}::date, ${b.endDate ?? null}::date, ${b.rollover})
    returning id`;
  return getBudget(sql, row.id as string);
}

export async function updateBudget(sql: PluginSql, id: string, input: unknown): Promise<Budget> {
  await getBudget(sql, id);
  const b = parseBudget(input);
  await checkCategory(sql, b.categoryId);
  await sql`update budgets set category_id = ${b.categoryId}, name = ${b.name || null}, amount = ${b.amount}::numeric,
      currency = coalesce(${b.currency ?? null}, currency), period_type = ${b.periodType}, year = ${b.year ?? null}::int,
      month = ${b.month ?? null}::int, quarter = ${b.quarter ?? null}::int, start_date = ${b.startDate ?? null}::date,
      end_date = ${b.endDate ?? null}::date, rollover = ${b.rollover}, updated_at = now()
    where id = ${id}`;
  return getBudget(sql, id);
}

export async function deleteBudget(sql: PluginSql, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound('no such budget');
  const gone = await sql`delete from budgets where id = ${id} returning id`;
  if (!gone.length) throw notFound('no such budget');
}

/** The editable part of a budget, as the API and the form take it. */
export const inputOf = (b: Budget) => ({
  categoryId: b.categoryId, name: b.name, amount: b.amount, currency: b.currency, periodType: b.periodType, year: b.year,
  month: b.month, quarter: b.quarter, startDate: b.startDate, endDate: b.endDate, rollover: b.rollover,
});
