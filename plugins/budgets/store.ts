// The budgets table through the household-bound ctx.db, with each budget's category read from the
// ledger (granted read of ledger.categories). A budget's category must be an expense category or
// group of this household: budgets count spending.
import { badRequest, HttpError, notFound, type PluginSql } from '../../plugin-sdk/index.ts';
import { formatAmount } from './money.ts';
import { BudgetInput, type BudgetInputT } from './schemas.ts';
import type { PeriodSpec, PeriodType } from './periods.ts';

export type Budget = {
  id: string; categoryId: string; categoryName: string | null; isGroup: boolean; name: string | null; label: string;
  amount: string; currency: string; periodType: PeriodType; year: number | null; month: number | null; quarter: number | null;
  startDate: string | null; endDate: string | null; rollover: boolean; createdAt: string; updatedAt: string;
  /** Repeats an older budget's category and period (saved before migration 0003): the same spending counted twice. */
  duplicate: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);
const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();

const select = (sql: PluginSql) => sql`select b.id, b.category_id, c.name as category_name, coalesce(c.parent_id is null, false) as is_group,
    b.name, coalesce(b.name, c.name, 'Deleted category') as label, b.amount::text as amount, b.currency, b.period_type,
    b.year, b.month, b.quarter, b.start_date::text as start_date, b.end_date::text as end_date, b.rollover, b.created_at, b.updated_at, b.legacy_duplicate
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
    duplicate: r.legacy_duplicate === true,
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

// ---- one budget per category, currency and period ----------------------------------------------
// Two budgets on the same category (or group) for the same first month, quarter, year or custom
// span would both count the same spending: the page, the summary and the alerts would count it
// twice. A save that would make one is refused (409) naming the budget to edit instead; migration
// 0003's unique index refuses it too, so two concurrent saves cannot both land. Overlapping but
// different periods (monthly and annual on one category) are fine. The currency is part of what
// makes two budgets the same, since only transactions in a budget's currency count.

/** What two budgets share when they are the same budget twice (migration 0003's index). */
export type BudgetKey = Pick<Budget, 'categoryId' | 'currency' | 'periodType' | 'year' | 'month' | 'quarter' | 'startDate' | 'endDate'>;
const KEY_FIELDS = ['categoryId', 'currency', 'periodType', 'year', 'month', 'quarter', 'startDate', 'endDate'] as const;

const keyOf = (b: BudgetInputT, currency: string): BudgetKey => ({
  categoryId: b.categoryId, currency, periodType: b.periodType, year: b.year ?? null, month: b.month ?? null,
  quarter: b.quarter ?? null, startDate: b.startDate ?? null, endDate: b.endDate ?? null,
});
const sameKey = (a: BudgetKey, b: BudgetKey) => KEY_FIELDS.every((f) => (a[f] ?? null) === (b[f] ?? null));

const monthName = (m: number) => new Date(Date.UTC(2000, m - 1, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' });

/** "a monthly budget from December 2026", "a custom budget for 2026-11-15 – 2026-12-14". */
function periodPhrase(k: Pick<BudgetKey, 'periodType' | 'year' | 'month' | 'quarter' | 'startDate' | 'endDate'>): string {
  switch (k.periodType) {
    case 'monthly':
      return `a monthly budget from ${monthName(k.month!)} ${k.year}`;
    case 'quarterly':
      return `a quarterly budget from Q${k.quarter} ${k.year}`;
    case 'annual':
      return `an annual budget from ${k.year}`;
    case 'custom':
      return `a custom budget for ${k.startDate} – ${k.endDate}`;
  }
}

/**
 * A save refused because another budget of the household has the same category, currency and
 * period. `existing` is that budget; null only when a concurrent save won the race, until
 * refusingDuplicates() looks it up (the failed transaction cannot).
 */
export class DuplicateBudget extends HttpError {
  readonly key: BudgetKey;
  readonly existing: Budget | null;
  /** The budget being updated (not a duplicate of itself). */
  readonly except: string | null;
  constructor(key: BudgetKey, existing: Budget | null, except: string | null = null) {
    super(409, DuplicateBudget.explain(key, existing));
    this.key = key;
    this.existing = existing;
    this.except = except;
  }

  /** "Groceries already has a monthly budget from December 2026 in EUR" (the form adds its own link). */
  static what(key: BudgetKey, existing: Budget | null): string {
    const category = existing?.categoryName ? (existing.isGroup ? `The group ${existing.categoryName}` : existing.categoryName) : 'This category';
    const amount = existing ? `${formatAmount(existing.amount)} ${existing.currency} a period` : '';
    const named = existing?.name ? ` ("${existing.name}", ${amount})` : existing ? ` (${amount})` : '';
    return `${category} already has ${periodPhrase(key)} in ${key.currency}${named}`;
  }

  static explain(key: BudgetKey, existing: Budget | null): string {
    const how = existing
      ? `edit that budget instead (PUT or PATCH /api/v1/budgets/${existing.id}, or Edit on its page)`
      : 'edit that budget instead (GET /api/v1/budgets lists it)';
    return `${DuplicateBudget.what(key, existing)}: ${how}, or choose another category or period`;
  }
}

const isDuplicateKey = (err: unknown) => {
  const e = err as { code?: string; constraint_name?: string; message?: string } | null;
  return e?.code === '23505' && (e.constraint_name === 'budgets_one_per_period' || /budgets_one_per_period/.test(e.message ?? ''));
};

/** A write whose unique violation on budgets_one_per_period is the duplicate `refused()` says. */
async function writing<T>(write: PromiseLike<T>, refused: () => DuplicateBudget): Promise<T> {
  try {
    return await write;
  } catch (err) {
    throw isDuplicateKey(err) ? refused() : err;
  }
}

/** The oldest other budget with this key (a kept one before one marked a legacy duplicate by migration 0003). */
async function findDuplicate(sql: PluginSql, k: BudgetKey, except: string | null): Promise<Budget | null> {
  const [row] = await sql`${select(sql)}
    where b.category_id = ${k.categoryId} and b.currency = ${k.currency} and b.period_type = ${k.periodType}
      and b.year is not distinct from ${k.year}::int and b.month is not distinct from ${k.month}::int
      and b.quarter is not distinct from ${k.quarter}::int and b.start_date is not distinct from ${k.startDate}::date
      and b.end_date is not distinct from ${k.endDate}::date and b.id is distinct from ${except}::uuid
    order by b.legacy_duplicate, b.created_at, b.id limit 1`;
  return row ? toBudget(row) : null;
}

/**
 * Runs a save (which may run in a transaction of its own); a duplicate that a concurrent save
 * committed first (the unique index's 23505) comes out as the same 409 as the check before the
 * write, naming that budget: looked up through `sql`, outside the failed transaction.
 */
export async function refusingDuplicates<T>(sql: PluginSql, save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (err) {
    if (!(err instanceof DuplicateBudget) || err.existing) throw err;
    throw new DuplicateBudget(err.key, await findDuplicate(sql, err.key, err.except), err.except);
  }
}

export async function createBudget(sql: PluginSql, input: unknown, baseCurrency: string): Promise<Budget> {
  const b = parseBudget(input);
  await checkCategory(sql, b.categoryId);
  const key = keyOf(b, b.currency ?? baseCurrency);
  const existing = await findDuplicate(sql, key, null);
  if (existing) throw new DuplicateBudget(key, existing);
  const [row] = await writing(sql`insert into budgets (category_id, name, amount, currency, period_type, year, month, quarter, start_date, end_date, rollover)
    values (${b.categoryId}, ${b.name || null}, ${b.amount}::numeric, ${key.currency}, ${b.periodType}, ${b.year ?? null}::int,
      ${b.month ?? null}::int, ${b.quarter ?? null}::int, ${b.startDate ?? null}::date, ${b.endDate ?? null}::date, ${b.rollover})
    returning id`, () => new DuplicateBudget(key, null));
  return getBudget(sql, row.id as string);
}

export async function updateBudget(sql: PluginSql, id: string, input: unknown): Promise<Budget> {
  const current = await getBudget(sql, id);
  const b = parseBudget(input);
  await checkCategory(sql, b.categoryId);
  const key = keyOf(b, b.currency ?? current.currency);
  // Saving a budget with its own category and period is never a new duplicate, even for one that
  // migration 0003 found repeating an older budget (legacy_duplicate): it may still be edited (or
  // deleted). Moved to another category or period, it is checked like any save and loses the mark.
  const kept = sameKey(key, current);
  if (!kept) {
    const existing = await findDuplicate(sql, key, id);
    if (existing) throw new DuplicateBudget(key, existing, id);
  }
  await writing(sql`update budgets set category_id = ${b.categoryId}, name = ${b.name || null}, amount = ${b.amount}::numeric,
      currency = ${key.currency}, period_type = ${b.periodType}, year = ${b.year ?? null}::int,
      month = ${b.month ?? null}::int, quarter = ${b.quarter ?? null}::int, start_date = ${b.startDate ?? null}::date,
      end_date = ${b.endDate ?? null}::date, rollover = ${b.rollover}, legacy_duplicate = legacy_duplicate and ${kept}::boolean,
      updated_at = now()
    where id = ${id}`, () => new DuplicateBudget(key, null, id));
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
