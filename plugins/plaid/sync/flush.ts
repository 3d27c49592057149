// Writes a complete stage (every page of a pagination) to the ledger: upserts first, page by page in
// groups of at most BATCH rows, then the removals, the last batch carrying the new cursor, so the
// cursor moves only once everything it covers is in. Removals come last so a pending transaction is
// taken over by its posted one (keeping the user's category, notes and tags) before it could be
// deleted. Every batch is idempotent; `flushed_through` lets a restart skip groups already written.
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { dropStage, markFlushed, pageSizes, pageUpserts, stagedRemovals } from '../store/pages.ts';
import type { RemovedKey, SourceTransaction } from './convert.ts';
import { SOURCE, cursorKey, ledgerSources } from './ledger.ts';

const BATCH = 5_000;
const MAX_REMOVED = 50_000;

export type FlushResult = 'done' | 'out-of-time';

export async function flushStage(ctx: PluginContext, itemId: string, finalCursor: string, flushedThrough: number, deadline: number): Promise<FlushResult> {
  const ledger = ledgerSources(ctx);
  const sizes = await pageSizes(ctx, itemId, flushedThrough);
  // Groups of consecutive pages, each at most BATCH upserts (a page alone may be up to 500).
  const groups: { from: number; to: number }[] = [];
  let count = 0;
  for (const p of sizes) {
    const last = groups.at(-1);
    if (last && count + p.upserts <= BATCH) {
      last.to = p.seq;
      count += p.upserts;
    } else {
      groups.push({ from: p.seq, to: p.seq });
      count = p.upserts;
    }
  }
  let pendingUpserts: SourceTransaction[] = [];
  for (const [i, g] of groups.entries()) {
    const upserts = await pageUpserts(ctx, itemId, g.from, g.to);
    if (i === groups.length - 1) {
      pendingUpserts = upserts; // written with the removals and the cursor
      break;
    }
    if (upserts.length) await ledger.applyTransactionBatch({ source: SOURCE, added: upserts });
    await markFlushed(ctx, itemId, g.to);
    if (Date.now() > deadline) return 'out-of-time';
  }
  const removed = await stagedRemovals(ctx, itemId);
  const chunks: RemovedKey[][] = [];
  for (let i = 0; i < removed.length; i += MAX_REMOVED) chunks.push(removed.slice(i, i + MAX_REMOVED));
  if (!chunks.length) chunks.push([]);
  for (const [i, chunk] of chunks.entries()) {
    const last = i === chunks.length - 1;
    await ledger.applyTransactionBatch({
      source: SOURCE,
      added: i === 0 ? pendingUpserts : [],
      removed: chunk,
      ...(last ? { cursor: { key: cursorKey(itemId), value: finalCursor } } : {}),
    });
  }
  await dropStage(ctx, itemId);
  return 'done';
}
