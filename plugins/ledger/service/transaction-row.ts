// How a transaction is read back: the columns (with its account's and category's names) and the
// mapping to the API shape. Shared by get and list.
import type { TransactionT } from '../schemas/transactions.ts';
import { isoTime, type Fragment, type Tx } from './tx.ts';

type TransactionRow = {
  id: string; account_id: string; account_name: string; source: string; external_id: string | null; date: string;
  authorized_date: string | null; amount: string; currency: string; payee: string | null; description: string | null;
  notes: string | null; pending: boolean; pending_external_id: string | null; category_id: string | null;
  category_name: string | null; category_source: TransactionT['categorySource']; provider_category_primary: string | null;
  provider_category_detailed: string | null; tags: string[]; excluded: boolean; is_transfer: boolean; created_at: Date | string; updated_at: Date | string;
};

/** Selects from `source` (a subquery aliased t, already ordered and limited) with the names joined. */
export const selectTransactions = (tx: Tx, source: Fragment) => tx<TransactionRow>`
  select t.id, t.account_id, a.name as account_name, t.source, t.external_id,
    to_char(t.date, 'YYYY-MM-DD') as date, to_char(t.authorized_date, 'YYYY-MM-DD') as authorized_date,
    t.amount, t.currency, t.payee, t.description, t.notes, t.pending, t.pending_external_id,
    t.category_id, c.name as category_name, t.category_source, t.provider_category_primary,
    t.provider_category_detailed, t.tags, t.excluded, t.is_transfer, t.created_at, t.updated_at
  from ${source} t
  join ledger.accounts a on a.id = t.account_id
  left join ledger.categories c on c.id = t.category_id
  order by t.date desc, t.id desc`;

export const toTransaction = (r: TransactionRow): TransactionT => ({
  id: r.id,
  accountId: r.account_id,
  accountName: r.account_name,
  source: r.source,
  externalId: r.external_id,
  date: r.date,
  authorizedDate: r.authorized_date,
  amount: r.amount,
  currency: r.currency,
  payee: r.payee,
  description: r.description,
  notes: r.notes,
  pending: r.pending,
  pendingExternalId: r.pending_external_id,
  categoryId: r.category_id,
  categoryName: r.category_name,
  categorySource: r.category_source,
  providerCategory:
    r.provider_category_primary || r.provider_category_detailed
      ? { primary: r.provider_category_primary, detailed: r.provider_category_detailed }
      : null,
  tags: r.tags,
  excluded: r.excluded,
  isTransfer: r.is_transfer,
  createdAt: isoTime(r.created_at),
  updatedAt: isoTime(r.updated_at),
});
