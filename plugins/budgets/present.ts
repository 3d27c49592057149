// A summary item as its card shows it: the figures formatted, the bar's width, and the one alert
// badge worth showing. When nothing is available (a rollover debt as large as the budget or larger)
// there is no meaningful percentage: the card says "over budget by" and the bar is full if anything
// is owed, rather than "100% spent of -18,379.62".
import { formatAmount } from './money.ts';
import type { SummaryItem } from './summary.ts';

export function cardOf(i: SummaryItem) {
  const nothingAvailable = i.percent === null;
  return {
    ...i,
    fmt: { spent: formatAmount(i.spent), available: formatAmount(i.available), remaining: formatAmount(i.remaining), carriedIn: formatAmount(i.carriedIn), pending: formatAmount(i.pending) },
    nothingAvailable,
    bar: i.percent === null ? (i.overBudget ? 100 : 0) : Math.min(100, Math.max(0, i.percent)),
    // 100% implies 80%: one badge per period, the highest threshold crossed.
    alert: i.alerts.length ? Math.max(...i.alerts) : null,
  };
}

export type Card = ReturnType<typeof cardOf>;
