// A statement transaction as the ledger's applyTransactionBatch takes it, or the reason it cannot
// be one. The ledger validates a whole batch at once, so every row is checked here first: one bad
// row must become a failed line in the result, not a refused batch.
import type { StatementTransaction } from '../parsers/index.ts';
import { inDateRange, outOfRange } from './date-range.ts';

export type LedgerRow = {
  accountId: string;
  externalId: string;
  date: string;
  authorizedDate?: string;
  amount: string;
  currency: string;
  payee?: string;
  description?: string;
  /** The household's category the file names (QIF L), for the ledger to set on insert only. */
  categoryId?: string;
};

const DECIMAL = /^-?\d{1,18}(\.\d{1,10})?$/;
const CURRENCY = /^[A-Z][A-Z0-9]{2,9}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const clip = (s: string | undefined, max: number) => {
  const t = s?.trim();
  return t ? (t.length > max ? t.slice(0, max) : t) : undefined;
};

export function toLedgerRow(t: StatementTransaction, accountId: string, accountCurrency: string, categoryId?: string): { row: LedgerRow } | { failure: string } {
  if (!DECIMAL.test(t.amount)) return { failure: `amount ${t.amount} has more digits than the ledger keeps (18 before and 10 after the decimal point)` };
  if (t.externalId.length > 255) return { failure: `the transaction id is ${t.externalId.length} characters long; at most 255 are kept` };
  if (!DATE.test(t.date)) return { failure: `date ${t.date} is not a calendar date` };
  if (!inDateRange(t.date)) return { failure: outOfRange(t.date) };
  // OFX <CURRENCY>: the amount is in that currency; anything unreadable falls back to the account's.
  const currency = t.currency && CURRENCY.test(t.currency) ? t.currency : accountCurrency;
  const row: LedgerRow = { accountId, externalId: t.externalId, date: t.date, amount: t.amount, currency };
  // DTUSER is optional: an implausible one is dropped rather than failing the row.
  if (t.userDate && DATE.test(t.userDate) && inDateRange(t.userDate)) row.authorizedDate = t.userDate;
  const payee = clip(t.payee, 500);
  if (payee) row.payee = payee;
  const description = clip(t.memo ?? (t.checkNumber ? `Check ${t.checkNumber}` : undefined), 2000);
  if (description) row.description = description;
  if (categoryId) row.categoryId = categoryId;
  return { row };
}
