// One sync per item at a time, across processes: a transaction held open while the sync runs owns
// the item's advisory lock. If the process dies the connection goes, and the lock with it, so a
// restarted sync never waits on a dead one (a lease in a table would have to expire first). A run
// that finds the item busy waits a little (the other run usually ends within seconds), then gives up.
import type { PluginContext } from '../../../plugin-sdk/index.ts';

export const BUSY = Symbol('busy');

export async function withItemLock<T>(ctx: PluginContext, itemId: string, fn: () => Promise<T>, waitMs = 5000): Promise<T | typeof BUSY> {
  try {
    return await ctx.db.tx(async (sql) => {
      await sql.unsafe(`set local lock_timeout = ${Math.max(1, Math.floor(waitMs))}`);
      await sql`select pg_advisory_xact_lock(hashtextextended('plaid.sync:' || kernel.current_household()::text || ':' || ${itemId}, 0))`;
      return fn();
    });
  } catch (err) {
    // 55P03 lock_not_available: the other run still holds the item.
    if (/lock timeout|canceling statement due to lock timeout/i.test((err as Error)?.message ?? '')) return BUSY;
    throw err;
  }
}
