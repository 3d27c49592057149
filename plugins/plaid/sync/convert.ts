// Plaid's shapes → the ledger's. Plaid signs amounts from the account's view of spending (positive =
// money out); the ledger's convention is the opposite (negative = money out), as exact decimal strings.
import type { AccountBase, RemovedTransaction, Transaction } from 'plaid';

export type LedgerAccountType = 'depository' | 'credit' | 'loan' | 'investment' | 'other_asset';

export type SourceAccount = {
  externalId: string;
  name: string;
  type: LedgerAccountType;
  subtype: string | null;
  currency: string;
  institution: string | null;
  mask: string | null;
  balance?: { current: string; available: string | null; asOf?: string };
};

export type SourceTransaction = {
  accountId: string;
  externalId: string;
  date: string;
  authorizedDate: string | null;
  amount: string;
  currency: string;
  payee: string | null;
  description: string | null;
  pending: boolean;
  pendingExternalId: string | null;
  providerCategory: { primary: string | null; detailed: string | null } | null;
};

export type RemovedKey = { accountId: string; externalId: string };

/** A JSON number as an exact decimal string (Plaid sends amounts as numbers with at most a few decimals). */
export function decimal(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not an amount: ${n}`);
  let s = String(n);
  if (/e/i.test(s)) s = n.toFixed(10).replace(/\.?0+$/, '');
  if (s === '-0') s = '0';
  const [int, frac] = s.split('.');
  return frac && frac.length > 10 ? Number(n).toFixed(10).replace(/\.?0+$/, '') : `${int}${frac ? `.${frac}` : ''}`;
}

export const negate = (d: string) => (d === '0' || /^-?0(\.0+)?$/.test(d) ? '0' : d.startsWith('-') ? d.slice(1) : `-${d}`);

const TYPES: Record<string, LedgerAccountType> = { depository: 'depository', credit: 'credit', loan: 'loan', investment: 'investment', brokerage: 'investment' };
const CURRENCY = /^[A-Z][A-Z0-9]{2,9}$/;

function currencyOf(iso: string | null | undefined, unofficial: string | null | undefined, fallback: string): string {
  const c = (iso ?? unofficial ?? '').toUpperCase();
  return CURRENCY.test(c) ? c : fallback;
}

export function toSourceAccount(a: AccountBase, institution: string | null, fallbackCurrency: string): SourceAccount {
  const currency = currencyOf(a.balances.iso_currency_code, a.balances.unofficial_currency_code, fallbackCurrency);
  const current = a.balances.current ?? a.balances.available;
  return {
    externalId: a.account_id,
    name: (a.name || a.official_name || 'Account').slice(0, 200),
    type: TYPES[a.type] ?? 'other_asset',
    subtype: a.subtype ?? null,
    currency,
    institution: institution?.slice(0, 200) ?? null,
    mask: a.mask?.slice(0, 10) ?? null,
    ...(current !== null && current !== undefined
      ? { balance: { current: decimal(current), available: a.balances.available === null || a.balances.available === undefined ? null : decimal(a.balances.available) } }
      : {}),
  };
}

const clip = (s: string | null | undefined, max: number) => (s ? s.slice(0, max) : null);

/** A Plaid transaction as the ledger stores it; `ledgerAccount` maps Plaid account ids to ledger ids. */
export function toSourceTransaction(t: Transaction, ledgerAccount: (plaidAccountId: string) => string, fallbackCurrency: string): SourceTransaction {
  const counterparty = t.counterparties?.find((c) => c.type === 'merchant')?.name;
  const pfc = t.personal_finance_category;
  return {
    accountId: ledgerAccount(t.account_id),
    externalId: t.transaction_id,
    date: t.date,
    authorizedDate: t.authorized_date ?? null,
    amount: negate(decimal(t.amount)),
    currency: currencyOf(t.iso_currency_code, t.unofficial_currency_code, fallbackCurrency),
    payee: clip(t.merchant_name ?? counterparty ?? t.name, 500),
    description: clip(t.original_description ?? t.name, 2000),
    pending: t.pending,
    pendingExternalId: t.pending_transaction_id ?? null,
    providerCategory: pfc ? { primary: pfc.primary || null, detailed: pfc.detailed || null } : null,
  };
}

export function toRemovedKey(r: RemovedTransaction, ledgerAccount: (plaidAccountId: string) => string | undefined): RemovedKey | null {
  const accountId = r.account_id ? ledgerAccount(r.account_id) : undefined;
  return accountId ? { accountId, externalId: r.transaction_id } : null;
}
