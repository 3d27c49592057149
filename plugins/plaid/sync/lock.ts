// One sync per item at a time, across processes: a transaction held open while the sync runs owns
// the item's advisory lock. If the process dies the connection goes, and the lock with it, so a
// restarted sync never waits on a dead one (a lease in a table would have to expire first).
import type { PluginContext } from '../../../plugin-sdk/index.ts';

export const BUSY = Symbol('busy');

export async function withItemLock<T>(ctx: PluginContext, itemId: string, fn: () => Promise<T>): Promise<T | typeof BUSY> {
  return ctx.db.tx(async (sql) => {
    const [{ ok }] = await sql<{ ok: boolean }>`
      select pg_try_advisory_xact_lock(hashtextextended('plaid.sync:' || kernel.current_household()::text || ':' || ${itemId}, 0)) as ok`;
    return ok ? fn() : BUSY;
  });
}
