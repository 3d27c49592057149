// Drives /transactions/sync through the SDK the way a client should: page until has_more is false,
// and on TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION restart from the cursor that began the update.
import type { PlaidApi, RemovedTransaction, Transaction, TransactionsSyncRequestOptions } from 'plaid';

export type SyncResult = { added: Transaction[]; modified: Transaction[]; removed: RemovedTransaction[]; cursor: string; pages: number; restarts: number };

export async function syncAll(plaid: PlaidApi, accessToken: string, cursor = '', opts: { count?: number; options?: TransactionsSyncRequestOptions } = {}): Promise<SyncResult> {
  let restarts = 0;
  let pages = 0;
  for (;;) {
    const out: SyncResult = { added: [], modified: [], removed: [], cursor, pages: 0, restarts };
    try {
      for (;;) {
        const { data } = await plaid.transactionsSync({ access_token: accessToken, cursor: out.cursor, count: opts.count, options: opts.options });
        pages++;
        out.added.push(...data.added);
        out.modified.push(...data.modified);
        out.removed.push(...data.removed);
        out.cursor = data.next_cursor;
        if (!data.has_more) return { ...out, pages };
      }
    } catch (err) {
      const code = (err as { response?: { data?: { error_code?: string } } }).response?.data?.error_code;
      if (code !== 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION' || ++restarts > 5) throw err;
    }
  }
}

/** A client-side mirror of the item's transactions, applying sync results in order. */
export class Mirror {
  readonly rows = new Map<string, Transaction>();

  apply(r: Pick<SyncResult, 'added' | 'modified' | 'removed'>): void {
    for (const t of r.added) {
      if (this.rows.has(t.transaction_id)) throw new Error(`duplicate add ${t.transaction_id}`);
      this.rows.set(t.transaction_id, t);
    }
    for (const t of r.modified) {
      if (!this.rows.has(t.transaction_id)) throw new Error(`modify of unknown ${t.transaction_id}`);
      this.rows.set(t.transaction_id, t);
    }
    for (const t of r.removed) {
      if (!this.rows.delete(t.transaction_id)) throw new Error(`remove of unknown ${t.transaction_id}`);
    }
  }

  sorted(): Transaction[] {
    return [...this.rows.values()].sort((a, b) => (a.transaction_id < b.transaction_id ? -1 : 1));
  }
}
