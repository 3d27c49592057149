// The balance an import records for an account: the statement's own closing balance when the file
// states one (OFX LEDGERBAL; for credit cards the file's "owed" is negative, the ledger's positive),
// dated today when its date is in the future or outside the dates an import accepts;
// otherwise, for an account fed only by imports, its balance moved by what was added. Other
// accounts (manual, bank-synced) keep the balance their owner or their feed reports.
import { addDecimal, negateDecimal } from '../parsers/index.ts';
import { inDateRange } from '../plan/date-range.ts';
import type { PlanAccount } from './plan.ts';

export type BalanceRecord = { accountId: string; date: string; balance: string; available: string | null };

export function balanceAfterImport(a: PlanAccount, added: number, today: string): BalanceRecord | null {
  if (a.statementBalance) {
    const { amount, date, available } = a.statementBalance;
    return { accountId: a.accountId, date: date && inDateRange(date) && date <= today ? date : today, balance: a.liability ? negateDecimal(amount) : amount, available };
  }
  if (!a.importFed || added === 0) return null;
  const moved = a.liability ? negateDecimal(a.sumAdded) : a.sumAdded;
  return { accountId: a.accountId, date: today, balance: addDecimal(a.balanceBefore, moved), available: null };
}

/** Today's date where the household lives. */
export function householdToday(timeZone: string, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}
