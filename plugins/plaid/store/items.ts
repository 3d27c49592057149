// The household's connected items (plaid.items): what the connections page shows and what the sync
// and webhooks update.
import type { PluginContext } from '../../../plugin-sdk/index.ts';

export type ItemStatus = 'active' | 'login_required' | 'pending_expiration' | 'pending_disconnect' | 'revoked' | 'error';
export type SyncState = 'idle' | 'queued' | 'running' | 'waiting';

export type ItemRow = {
  item_id: string;
  institution_id: string | null;
  institution_name: string;
  products: string[];
  status: ItemStatus;
  error_code: string | null;
  consent_expires_at: Date | string | null;
  new_accounts_available: boolean;
  sync_state: SyncState;
  sync_pages: number;
  sync_transactions: number;
  sync_started_at: Date | string | null;
  flushed_through: number;
  last_success_at: Date | string | null;
  last_error_code: string | null;
  last_error_at: Date | string | null;
  created_at: Date | string;
};

export async function listItems(ctx: PluginContext): Promise<ItemRow[]> {
  return ctx.db.sql<ItemRow>`select * from items order by institution_name, created_at`;
}

export async function getItem(ctx: PluginContext, itemId: string): Promise<ItemRow | null> {
  const [row] = await ctx.db.sql<ItemRow>`select * from items where item_id = ${itemId}`;
  return row ?? null;
}

export async function insertItem(ctx: PluginContext, item: { itemId: string; institutionId: string | null; institutionName: string; products: string[] }): Promise<void> {
  await ctx.db.sql`
    insert into items (item_id, institution_id, institution_name, products, sync_state)
    values (${item.itemId}, ${item.institutionId}, ${item.institutionName}, ${item.products}, 'queued')
    on conflict (household_id, item_id) do update set
      institution_id = excluded.institution_id, institution_name = excluded.institution_name,
      products = excluded.products, status = 'active', error_code = null, updated_at = now()`;
}

/** The item's state as a webhook or a failed call reports it. */
export async function setItemStatus(ctx: PluginContext, itemId: string, status: ItemStatus, errorCode: string | null, extra: { consentExpiresAt?: string | null } = {}): Promise<boolean> {
  const rows = await ctx.db.sql`
    update items set status = ${status}, error_code = ${errorCode},
      consent_expires_at = coalesce(${extra.consentExpiresAt ?? null}::timestamptz, consent_expires_at), updated_at = now()
    where item_id = ${itemId} returning item_id`;
  return rows.length > 0;
}

export async function setNewAccountsAvailable(ctx: PluginContext, itemId: string, value: boolean): Promise<boolean> {
  const rows = await ctx.db.sql`update items set new_accounts_available = ${value}, updated_at = now() where item_id = ${itemId} returning item_id`;
  return rows.length > 0;
}

export async function setSyncState(ctx: PluginContext, itemId: string, state: SyncState): Promise<void> {
  await ctx.db.sql`
    update items set sync_state = ${state},
      sync_started_at = case when ${state} = 'running' and sync_state <> 'running' then now() else sync_started_at end,
      updated_at = now()
    where item_id = ${itemId}`;
}

/** A sync was asked for: shown as queued unless one is already running. */
export async function markQueued(ctx: PluginContext, itemId: string): Promise<void> {
  await ctx.db.sql`update items set sync_state = 'queued', updated_at = now() where item_id = ${itemId} and sync_state in ('idle', 'waiting')`;
}

export async function recordProgress(ctx: PluginContext, itemId: string, pages: number, transactions: number): Promise<void> {
  await ctx.db.sql`update items set sync_pages = ${pages}, sync_transactions = ${transactions}, updated_at = now() where item_id = ${itemId}`;
}

export async function recordSuccess(ctx: PluginContext, itemId: string): Promise<void> {
  await ctx.db.sql`
    update items set sync_state = 'idle', last_success_at = now(), last_error_code = null, last_error_at = null,
      sync_pages = 0, sync_transactions = 0, sync_started_at = null,
      status = case when status in ('error') then 'active' else status end,
      error_code = case when status in ('error') then null else error_code end,
      updated_at = now()
    where item_id = ${itemId}`;
}

export async function recordFailure(ctx: PluginContext, itemId: string, code: string, opts: { retrying: boolean }): Promise<void> {
  await ctx.db.sql`
    update items set sync_state = ${opts.retrying ? 'queued' : 'idle'}, last_error_code = ${code}, last_error_at = now(), updated_at = now()
    where item_id = ${itemId}`;
}

export async function deleteItem(ctx: PluginContext, itemId: string): Promise<void> {
  await ctx.db.sql`delete from items where item_id = ${itemId}`;
}
