// The fake's internal records. Rendering to Plaid's wire shapes happens in render.ts, so the records
// stay small and the wire format lives in one place.
import type { AccountRole } from './institutions.ts';
import type { Channel, Merchant } from './merchants.ts';

export type StoredTransaction = {
  transaction_id: string;
  account_id: string;
  /** Plaid-signed: positive = money out of the account, negative = money in. */
  amount: number;
  iso_currency_code: string;
  date: string;
  authorized_date: string | null;
  name: string;
  merchant: Merchant | null;
  /** PFCv2 detailed category. */
  category: string;
  payment_channel: Channel;
  pending: boolean;
  pending_transaction_id: string | null;
  check_number: string | null;
  city: string | null;
  region: string | null;
};

export type FakeAccount = {
  account_id: string;
  role: AccountRole;
  name: string;
  official_name: string | null;
  type: 'depository' | 'credit' | 'investment' | 'loan';
  subtype: string;
  mask: string;
  balances: { available: number | null; current: number; limit: number | null; iso_currency_code: string };
};

export type TransactionsUpdateStatus = 'TRANSACTIONS_UPDATE_STATUS_UNKNOWN' | 'NOT_READY' | 'INITIAL_UPDATE_COMPLETE' | 'HISTORICAL_UPDATE_COMPLETE';

/** One net change a /transactions/sync page reports. */
export type SyncUpdate =
  | { kind: 'added' | 'modified'; txn: StoredTransaction }
  | { kind: 'removed'; txn: StoredTransaction };
