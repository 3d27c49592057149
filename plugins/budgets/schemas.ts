// Budget shapes: what the API and the form accept (each period type's required fields checked with
// a message that says what is missing), and what the API answers.
import { z } from '../../plugin-sdk/index.ts';

export const PERIOD_TYPES = ['monthly', 'quarterly', 'annual', 'custom'] as const;

// "abc" is not an amount; saying that it is not more than zero either would only add noise. (Not
// `abort`: an explicit abort would stop the period rules below from running too.)
const Amount = z
  .string()
  .trim()
  .regex(/^\d{1,13}(\.\d{1,4})?$/, 'must be an amount like 250 or 99.50')
  .refine((v) => /[1-9]/.test(v), { message: 'must be more than zero', when: (payload) => payload.issues.length === 0 });
const Currency = z.string().regex(/^[A-Z][A-Z0-9]{2,9}$/, 'must be a currency code such as "EUR"');
const IsoDate = z.iso.date('must be a date (YYYY-MM-DD)');

const fields = {
  categoryId: z.uuid('must be a category id'),
  name: z.string().trim().max(100).nullable().optional().meta({ description: "Shown instead of the category's name" }),
  amount: Amount.meta({ description: 'Per period, as a decimal string', example: '400.00' }),
  currency: Currency.optional().meta({ description: "Only transactions in this currency count; default: the household's" }),
  periodType: z.enum(PERIOD_TYPES, 'must be monthly, quarterly, annual or custom'),
  // Type errors say what is expected too: the form sends what was typed ("20x6"), the API any JSON.
  year: z.int('must be a year such as 2026').min(1900, 'must be a year from 1900 to 9999').max(9999, 'must be a year from 1900 to 9999').nullable().optional().meta({ description: 'First period: monthly, quarterly, annual' }),
  month: z.int('must be a month number, 1-12').min(1, 'must be 1-12').max(12, 'must be 1-12').nullable().optional().meta({ description: 'First month (monthly)' }),
  quarter: z.int('must be a quarter number, 1-4').min(1, 'must be 1-4').max(4, 'must be 1-4').nullable().optional().meta({ description: 'First quarter (quarterly)' }),
  startDate: IsoDate.nullable().optional().meta({ description: 'First day (custom)' }),
  endDate: IsoDate.nullable().optional().meta({ description: 'Last day (custom)' }),
  rollover: z.boolean().default(false).meta({ description: "What is left (or overspent) carries into the next period" }),
};

type Shape = { periodType: string; year?: number | null; month?: number | null; quarter?: number | null; startDate?: string | null; endDate?: string | null; rollover?: boolean };

/** Which period fields each type needs, and which it must not have. */
const NEEDS: Record<string, (keyof Shape)[]> = {
  monthly: ['month', 'year'],
  quarterly: ['quarter', 'year'],
  annual: ['year'],
  custom: ['startDate', 'endDate'],
};
const PERIOD_FIELDS: (keyof Shape)[] = ['year', 'month', 'quarter', 'startDate', 'endDate'];

const article = (type: string) => (type === 'annual' ? 'an' : 'a');

/**
 * The period rules. They run even when other fields already failed (a year "20x6", an amount sent as
 * a number), so every field's problem is said at once; a field that failed on its own is left to
 * its own message, and `b` may hold anything the client sent there.
 */
export function checkPeriod(b: Shape, ctx: z.RefinementCtx): void {
  const needs = NEEDS[b.periodType];
  if (!needs) return;
  const failed = new Set(ctx.issues.map((i) => i.path?.[0]));
  const ok = (f: keyof Shape) => !failed.has(f);
  const a = `${article(b.periodType)} ${b.periodType} budget`;
  for (const f of needs) {
    if (ok(f) && b[f] == null) ctx.addIssue({ code: 'custom', path: [f], message: `${f} is required for ${a}` });
  }
  for (const f of PERIOD_FIELDS) {
    if (ok(f) && !needs.includes(f) && b[f] != null) ctx.addIssue({ code: 'custom', path: [f], message: `${f} does not apply to ${a}` });
  }
  if (b.periodType === 'custom' && ok('startDate') && ok('endDate') && b.startDate && b.endDate && b.startDate >= b.endDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate must be after startDate' });
  }
  if (b.periodType === 'custom' && ok('rollover') && b.rollover === true) {
    ctx.addIssue({ code: 'custom', path: ['rollover'], message: 'rollover needs a recurring period (monthly, quarterly or annual)' });
  }
}

/** Zod skips an object's refinements once a field failed on its type; these run whenever there is an object to look at. */
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

export const BudgetInput = z.object(fields).strict().superRefine(checkPeriod, { when: (payload) => isObject(payload.value) });
export type BudgetInputT = z.output<typeof BudgetInput>;

/** A partial update; the result is validated as a whole budget. */
export const BudgetPatch = z
  .object({ ...fields, rollover: z.boolean() })
  .partial()
  .strict();

export const BudgetId = z.object({ id: z.uuid() }).strict();

export const BudgetOut = z.object({
  id: z.uuid(),
  categoryId: z.uuid(),
  categoryName: z.string().nullable().meta({ description: 'Null when the category was deleted' }),
  isGroup: z.boolean(),
  name: z.string().nullable(),
  label: z.string().meta({ description: 'The name, else the category name' }),
  amount: z.string(),
  currency: z.string(),
  periodType: z.enum(PERIOD_TYPES),
  year: z.int().nullable(),
  month: z.int().nullable(),
  quarter: z.int().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  rollover: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  duplicate: z.boolean().meta({ description: 'Repeats an older budget of the same category, currency and period (saved before such budgets were refused): both count the same spending; edit or delete one' }),
});

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month like 2024-03');

export const SummaryQuery = z.object({ month: Month.optional().meta({ description: "Default: the current month in the household's time zone" }) }).strict();

const PeriodOut = z.object({ index: z.int(), start: z.string(), end: z.string(), label: z.string() });

export const SummaryItem = z.object({
  budget: BudgetOut,
  period: PeriodOut,
  carriedIn: z.string().meta({ description: 'Left over (negative: overspent) from earlier periods, with rollover' }),
  available: z.string().meta({ description: 'amount + carriedIn' }),
  spent: z.string().meta({ description: 'Outflows net of refunds, pending included' }),
  pending: z.string().meta({ description: 'The part of spent that is still pending' }),
  remaining: z.string(),
  percent: z.number().nullable().meta({ description: 'spent / available × 100; null when nothing is available (available ≤ 0: a rollover debt ate the budget)' }),
  elapsed: z.number().meta({ description: 'Share of the period gone (0..1), today in the household time zone' }),
  overBudget: z.boolean(),
  overPace: z.boolean().meta({ description: 'Spent more than the elapsed share of what is available' }),
  alerts: z.array(z.union([z.literal(80), z.literal(100)])).meta({ description: 'Thresholds crossed this period' }),
});

export const SummaryOut = z.object({
  month: z.string(),
  today: z.string(),
  items: z.array(SummaryItem),
});

export const HistoryOut = z.object({
  budget: BudgetOut,
  periods: z.array(z.object({ index: z.int(), start: z.string(), end: z.string(), label: z.string(), spent: z.string(), available: z.string() })),
});
