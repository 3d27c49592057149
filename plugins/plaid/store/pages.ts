// The staged pages of a multi-page sync (plaid.sync_pages, see the migration for why).
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import type { RemovedKey, SourceTransaction } from '../sync/convert.ts';

export type Stage = {
  /** The ledger cursor the pagination started from. */
  start: string;
  lastSeq: number;
  lastCursor: string;
  /** has_more was false on the last page: every page is here, ready to be written to the ledger. */
  complete: boolean;
  transactions: number;
};

export async function readStage(ctx: PluginContext, itemId: string): Promise<Stage | null> {
  const [row] = await ctx.db.sql<{ start_cursor: string; seq: number; next_cursor: string; has_more: boolean; transactions: number }>`
    select start_cursor, seq, next_cursor, has_more,
      (select coalesce(sum(jsonb_array_length(upserts) + jsonb_array_length(removed)), 0)::int from sync_pages where item_id = ${itemId}) as transactions
    from sync_pages where item_id = ${itemId} order by seq desc limit 1`;
  return row ? { start: row.start_cursor, lastSeq: row.seq, lastCursor: row.next_cursor, complete: !row.has_more, transactions: row.transactions } : null;
}

export async function stagePage(ctx: PluginContext, itemId: string, page: { seq: number; start: string; next: string; hasMore: boolean; upserts: SourceTransaction[]; removed: RemovedKey[] }): Promise<void> {
  await ctx.db.sql`
    insert into sync_pages (item_id, seq, start_cursor, next_cursor, has_more, upserts, removed)
    values (${itemId}, ${page.seq}, ${page.start}, ${page.next}, ${page.hasMore}, ${JSON.stringify(page.upserts)}::text::jsonb, ${JSON.stringify(page.removed)}::text::jsonb)`;
}

/** Forgets the stage (and how much of it was written), in one transaction. */
export async function dropStage(ctx: PluginContext, itemId: string): Promise<void> {
  await ctx.db.batch([
    ctx.db.sql`delete from sync_pages where item_id = ${itemId}`,
    ctx.db.sql`update items set flushed_through = 0 where item_id = ${itemId}`,
  ]);
}

export async function pageUpserts(ctx: PluginContext, itemId: string, fromSeq: number, toSeq: number): Promise<SourceTransaction[]> {
  const rows = await ctx.db.sql<{ upserts: string }>`
    select upserts::text as upserts from sync_pages where item_id = ${itemId} and seq between ${fromSeq} and ${toSeq} order by seq`;
  return rows.flatMap((r) => JSON.parse(r.upserts) as SourceTransaction[]);
}

/** Sizes of the staged pages after `afterSeq`, to group them into ledger batches. */
export async function pageSizes(ctx: PluginContext, itemId: string, afterSeq: number): Promise<{ seq: number; upserts: number }[]> {
  return ctx.db.sql<{ seq: number; upserts: number }>`
    select seq, jsonb_array_length(upserts) as upserts from sync_pages where item_id = ${itemId} and seq > ${afterSeq} order by seq`;
}

export async function stagedRemovals(ctx: PluginContext, itemId: string): Promise<RemovedKey[]> {
  const rows = await ctx.db.sql<{ removed: string }>`select removed::text as removed from sync_pages where item_id = ${itemId} order by seq`;
  return rows.flatMap((r) => JSON.parse(r.removed) as RemovedKey[]);
}

export async function markFlushed(ctx: PluginContext, itemId: string, seq: number): Promise<void> {
  await ctx.db.sql`update items set flushed_through = ${seq} where item_id = ${itemId}`;
}
