// The ledger's events, emitted after the transaction that caused them committed.
import type { PluginContext } from '../../plugin-sdk/index.ts';
import type { BatchResult } from './schemas/batch.ts';

/** Ids per event: event payloads are capped (256 KiB), a uuid takes ~39 bytes in JSON. */
const IDS_PER_EVENT = 2000;

export type TransactionsChanged = { source: string; added: string[]; modified: string[]; removed: string[] };

/**
 * `ledger.transactions.changed` with the affected ids: one event per batch (a batch of more than
 * 2,000 changed rows is announced in several). Nothing changed, nothing emitted.
 */
export async function emitTransactionsChanged(ctx: PluginContext, source: string, r: Pick<BatchResult, 'inserted' | 'updated' | 'removed'>): Promise<void> {
  const all = [...r.inserted.map((id) => ['added', id] as const), ...r.updated.map((id) => ['modified', id] as const), ...r.removed.map((id) => ['removed', id] as const)];
  for (let i = 0; i < all.length; i += IDS_PER_EVENT) {
    const payload: TransactionsChanged = { source, added: [], modified: [], removed: [] };
    for (const [kind, id] of all.slice(i, i + IDS_PER_EVENT)) payload[kind].push(id);
    await ctx.events.emit('ledger.transactions.changed', payload);
  }
}
