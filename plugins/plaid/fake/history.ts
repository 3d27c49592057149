// A household's transaction history, generated deterministically from a seed: pay cheques, rent and
// bills on their schedule, card payments and savings transfers mirrored on both accounts, everyday
// spending at real-looking merchants, the odd refund and long-tail category, and the most recent
// few days still pending. Exactly `count` transactions, oldest first.
import { addDays, monthlyDates } from './dates.ts';
import type { AccountRole } from './institutions.ts';
import { EVERYDAY, LONG_TAIL, RECURRING, type Channel, type Merchant, type Recurring } from './merchants.ts';
import type { Rng } from './rng.ts';
import type { StoredTransaction } from './types.ts';

export type HistoryOptions = {
  rng: Rng;
  /** Account ids by role; spending lands on the card and checking, transfers on savings too. */
  accounts: Partial<Record<AccountRole, string>>;
  count: number;
  endDate: string;
  /** Days of history ending at endDate; defaults to about five transactions a day. */
  days?: number;
  /** Transactions dated within this many days of endDate may still be pending. */
  pendingDays?: number;
};

type Draft = Omit<StoredTransaction, 'transaction_id' | 'pending' | 'authorized_date' | 'pending_transaction_id'> & { recurring: boolean };

const CITIES = [['San Francisco', 'CA'], ['Oakland', 'CA'], ['Seattle', 'WA'], ['Portland', 'OR'], ['Austin', 'TX']] as const;

export function defaultHistoryDays(count: number): number {
  return Math.max(30, Math.ceil(count / 5));
}

export function generateHistory(opts: HistoryOptions): StoredTransaction[] {
  const { rng, accounts, count, endDate } = opts;
  const spendAccount = accounts.checking ?? accounts.card ?? accounts.savings;
  if (!spendAccount || count <= 0) return [];
  const days = opts.days ?? defaultHistoryDays(count);
  const startDate = addDays(endDate, -(days - 1));
  const calendar = Array.from({ length: days }, (_, i) => addDays(startDate, i));
  const dayIndex = new Map(calendar.map((d, i) => [d, i]));

  let drafts = recurringDrafts(rng, accounts, startDate, endDate);
  const recurringShare = Math.floor(count * 0.35);
  if (drafts.length > recurringShare) drafts = thin(rng, drafts, recurringShare);
  while (drafts.length < count) drafts.push(everydayDraft(rng, accounts, spendAccount, calendar[rng.int(0, days - 1)]!));
  drafts = drafts.map((d, i) => ({ d, i })).sort((a, b) => (a.d.date < b.d.date ? -1 : a.d.date > b.d.date ? 1 : a.i - b.i)).map((x) => x.d);

  const pendingFrom = addDays(endDate, -((opts.pendingDays ?? 2) - 1));
  return drafts.map(({ recurring, ...d }) => {
    const pending = !recurring && d.date >= pendingFrom && rng.chance(0.6);
    const day = dayIndex.get(d.date)!;
    const authorized = pending ? d.date : calendar[day - Math.min(rng.int(0, 2), day)]!;
    return { ...d, transaction_id: rng.id(), pending, authorized_date: authorized, pending_transaction_id: null };
  });
}

function recurringDrafts(rng: Rng, accounts: HistoryOptions['accounts'], from: string, to: string): Draft[] {
  const out: Draft[] = [];
  for (const r of RECURRING) {
    const accountId = r.account === 'card' ? (accounts.card ?? accounts.checking) : accounts[r.account];
    if (!accountId) continue;
    for (const date of scheduleDates(rng, r, from, to)) {
      const cents = Math.round(r.amount * 100) + Math.round((rng.next() - 0.5) * 2 * r.jitter * 100);
      const amount = (r.income ? -cents : cents) / 100;
      out.push(draft(accountId, amount, date, r.merchant, r.category, r.channel, null, true));
      const mirror = mirrorOf(r, accounts);
      if (mirror) out.push(draft(mirror.accountId, -amount, date, { ...r.merchant, descriptor: mirror.descriptor }, mirror.category, 'other', null, true));
    }
  }
  return out;
}

function scheduleDates(rng: Rng, r: Recurring, from: string, to: string): string[] {
  if (r.everyDays === 'monthly') return monthlyDates(from, to, r.dayOfMonth ?? 1);
  const out: string[] = [];
  for (let d = addDays(from, rng.int(0, r.everyDays - 1)); d <= to; d = addDays(d, r.everyDays)) out.push(d);
  return out;
}

/** The other side of a transfer between two of the household's accounts at this bank. */
function mirrorOf(r: Recurring, accounts: HistoryOptions['accounts']): { accountId: string; category: string; descriptor: string } | null {
  if (r.category === 'TRANSFER_OUT_SAVINGS' && accounts.savings) return { accountId: accounts.savings, category: 'TRANSFER_IN_SAVINGS', descriptor: 'ONLINE TRANSFER FROM CHK ...0000' };
  if (r.category === 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT' && accounts.card) return { accountId: accounts.card, category: 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT', descriptor: 'PAYMENT - THANK YOU' };
  return null;
}

function everydayDraft(rng: Rng, accounts: HistoryOptions['accounts'], spendAccount: string, date: string): Draft {
  if (rng.chance(0.04)) {
    const category = rng.pick(LONG_TAIL);
    const words = category.split('_').slice(-2).join(' ');
    return draft(spendAccount, rng.cents(5, 160) / 100, date, null, category, 'other', `POS DEBIT ${rng.int(1000, 9999)} ${words}`, false);
  }
  const kind = rng.weighted(EVERYDAY);
  const merchant = rng.pick(kind.merchants);
  const onCard = kind.channel !== 'other' && accounts.card !== undefined && rng.chance(0.7);
  let cents = rng.cents(kind.min, kind.max);
  if (kind.category.startsWith('GENERAL_MERCHANDISE') && rng.chance(0.03)) cents = -cents; // a refund
  const d = draft(onCard ? accounts.card! : spendAccount, cents / 100, date, merchant, kind.category, kind.channel, null, false);
  if (kind.channel === 'in store') [d.city, d.region] = rng.pick(CITIES);
  return d;
}

function draft(accountId: string, amount: number, date: string, merchant: Merchant | null, category: string, channel: Channel, name: string | null, recurring: boolean): Draft {
  return {
    account_id: accountId, amount, iso_currency_code: 'USD', date,
    name: name ?? merchant?.descriptor ?? category, merchant, category, payment_channel: channel,
    check_number: null, city: null, region: null, recurring,
  };
}

function thin<T>(rng: Rng, items: T[], keep: number): T[] {
  const idx = items.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, keep).sort((a, b) => a - b).map((i) => items[i]!);
}
