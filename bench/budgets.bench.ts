// Budgets: the summary of 20 budgets (monthly, quarterly, annual and custom; several with rollover,
// so earlier periods count too) for "this month" of a household with 1,000,000 transactions over
// five years, exactly as GET /api/v1/budgets/summary computes it (plugins/budgets/summary.ts: one
// statement for every budget and period). Target: p50 under 50 ms. Beside it, the baseline: a plain
// count and sum of the same month's transactions, measured the same way, so the figure is a ratio.
import { summarize } from '../plugins/budgets/summary.ts';
import { createBudget } from '../plugins/budgets/store.ts';
import type { Bench } from './framework.ts';
import { BENCH_MONTH, makeBudgets } from './budgets-set.ts';
import { bigHousehold, boundTx, pluginContext } from './rules-data.ts';

const TOTAL = 1_000_000;
const RUNS = 200;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timings(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn(); // warm caches and connections
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn();
    out.push(performance.now() - started);
  }
  return out.sort((a, b) => a - b);
}

export const budgetsSummary: Bench = async ({ db, households }) => {
  const [householdId] = await households(1);
  const big = await bigHousehold(db, householdId, TOTAL);
  const ctx = pluginContext(db, 'budgets', householdId);
  try {
    const budgets = makeBudgets(big.categories);
    for (const b of budgets) await createBudget(ctx.db.sql, b, 'EUR');
    const first = await summarize(ctx, BENCH_MONTH);
    if (first.items.length !== 20) throw new Error(`expected 20 budgets in ${BENCH_MONTH}, got ${first.items.length}`);
    if (!first.items.some((i) => Number(i.spent) > 0)) throw new Error('the summary found no spending');

    const summary = await timings(RUNS, () => summarize(ctx, BENCH_MONTH));
    const [from, to] = [`${BENCH_MONTH}-01`, Temporal.PlainYearMonth.from(BENCH_MONTH).toPlainDate({ day: 31 }).toString()];
    const baseline = await timings(RUNS, () => boundTx(db, householdId, (tx) =>
      tx`select count(*)::int as n, sum(amount)::text as total from ledger.transactions where date between ${from}::date and ${to}::date`));
    const [{ n }] = await boundTx(db, householdId, (tx) => tx<{ n: number }>`select count(*)::int as n from ledger.transactions where date between ${from}::date and ${to}::date`);

    const p50 = percentile(summary, 50);
    return [
      { metric: `baseline: count + sum of one month (${n.toLocaleString('en')} transactions), p50`, value: percentile(baseline, 50), unit: 'ms', better: 'lower', note: `of ${RUNS} runs` },
      { metric: 'summary of 20 budgets, 1,000,000 transactions, p50', value: p50, unit: 'ms', better: 'lower', note: `of ${RUNS} runs; target p50 < 50 ms` },
      { metric: 'summary of 20 budgets, 1,000,000 transactions, p99', value: percentile(summary, 99), unit: 'ms', better: 'lower', note: `of ${RUNS} runs` },
      { metric: 'summary p50 ÷ baseline p50', value: p50 / percentile(baseline, 50), unit: 'x', better: 'lower', note: '20 budgets, rollover included, vs one plain month scan' },
    ];
  } finally {
    await ctx.dispose();
  }
};
