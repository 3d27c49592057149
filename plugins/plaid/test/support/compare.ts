// Compares the household's ledger with the fake's current truth for an item: every transaction the
// fake has, once, with the same amount (sign flipped to the ledger's convention), date and pending
// flag; nothing else. Returns the differences (empty when they agree).
import type { ItemControl } from '../../fake/index.ts';

export type LedgerTx = { external_id: string; amount: string; date: string; pending: boolean; account: string };

export function differences(item: ItemControl, ledger: Map<string, Record<string, any>>): string[] {
  const out: string[] = [];
  const truth = item.transactions();
  const ids = new Set<string>();
  for (const t of truth) {
    const id = String(t.transaction_id);
    ids.add(id);
    const row = ledger.get(id);
    if (!row) {
      out.push(`missing ${id}`);
      continue;
    }
    if (Number(row.amount) !== -Number(t.amount)) out.push(`amount of ${id}: ledger ${row.amount}, plaid ${t.amount}`);
    if (row.date !== t.date) out.push(`date of ${id}: ledger ${row.date}, plaid ${t.date}`);
    if (row.pending !== t.pending) out.push(`pending of ${id}: ledger ${row.pending}, plaid ${t.pending}`);
    if (row.account !== t.account_id) out.push(`account of ${id}: ledger ${row.account}, plaid ${t.account_id}`);
  }
  for (const id of ledger.keys()) if (!ids.has(id)) out.push(`stale ${id}`);
  return out;
}
