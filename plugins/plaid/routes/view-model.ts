// What the connections page shows about each item: the item, advice in plain words, its accounts
// with the ledger's balances, and the sync's progress.
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { adviceFor, errorInWords, type Advice } from '../messages.ts';
import { getItem, listItems, type ItemRow } from '../store/items.ts';
import { ledgerRead, type LedgerAccount } from '../sync/ledger.ts';

export type AccountView = { accountId: string; ledgerAccountId: string; name: string; mask: string | null; type: string; subtype: string | null; balance: string | null; currency: string | null; display: string; closed: boolean };

export type ItemView = {
  item: ItemRow;
  advice: Advice;
  accounts: AccountView[];
  syncing: boolean;
  progress: string | null;
  lastSuccess: string | null;
  lastError: string | null;
};

/** A decimal string as money for display ("$1,410.40"); the stored value stays exact. */
export function formatMoney(amount: string | null, currency: string | null): string {
  if (amount === null) return '—';
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency ?? 'USD', currencyDisplay: 'narrowSymbol' }).format(Number(amount));
  } catch {
    return `${amount} ${currency ?? ''}`.trim();
  }
}

export function formatTime(ctx: PluginContext, v: Date | string | null): string | null {
  if (!v) return null;
  try {
    return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: ctx.household.timeZone }).format(new Date(v));
  } catch {
    return new Date(v).toISOString();
  }
}

async function ledgerAccounts(ctx: PluginContext): Promise<Map<string, LedgerAccount>> {
  try {
    return new Map((await ledgerRead(ctx).listAccounts({ includeClosed: true })).map((a) => [a.id, a]));
  } catch (err) {
    ctx.log.warn('ledger accounts unavailable', { err: (err as Error).message });
    return new Map();
  }
}

function progressOf(item: ItemRow): string | null {
  if (item.sync_state === 'idle') return null;
  if (item.sync_state === 'waiting') return 'Waiting for the bank to prepare your history…';
  // A paged sync in progress (running, or between two runs): how far it got.
  if (item.sync_pages > 0) return `Syncing… ${item.sync_transactions.toLocaleString('en')} transactions so far (${item.sync_pages} ${item.sync_pages === 1 ? 'page' : 'pages'})`;
  if (item.sync_state === 'queued') return item.last_success_at ? 'Sync queued…' : 'First sync queued…';
  return 'Syncing…';
}

export async function itemViews(ctx: PluginContext, only?: string): Promise<ItemView[]> {
  const items = only ? [await getItem(ctx, only)].filter((i): i is ItemRow => i !== null) : await listItems(ctx);
  if (!items.length) return [];
  const ledger = await ledgerAccounts(ctx);
  const rows = await ctx.db.sql<{ item_id: string; account_id: string; ledger_account_id: string; name: string; mask: string | null; type: string; subtype: string | null }>`
    select item_id, account_id, ledger_account_id::text, name, mask, type, subtype from accounts
    where item_id = any(${items.map((i) => i.item_id)}) order by type, name`;
  return items.map((item) => ({
    item,
    advice: adviceFor(item),
    accounts: rows.filter((r) => r.item_id === item.item_id).map((r) => {
      const l = ledger.get(r.ledger_account_id);
      return { accountId: r.account_id, ledgerAccountId: r.ledger_account_id, name: l?.name ?? r.name, mask: r.mask, type: r.type, subtype: r.subtype, balance: l?.balance ?? null, currency: l?.currency ?? null, display: formatMoney(l?.balance ?? null, l?.currency ?? null), closed: l?.closed ?? false };
    }),
    syncing: item.sync_state === 'running' || item.sync_state === 'queued' || item.sync_state === 'waiting',
    progress: progressOf(item),
    lastSuccess: formatTime(ctx, item.last_success_at),
    lastError: item.last_error_code ? `${errorInWords(item.last_error_code, item.sync_state !== 'idle')} (${formatTime(ctx, item.last_error_at)})` : null,
  }));
}
