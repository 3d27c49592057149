// How many plugin transactions may be open at once on a pool. An open transaction holds a
// connection while plugin code runs, and that code may call another plugin's service, whose plain
// statements need a connection of their own. If every connection were held by open transactions
// waiting on a lock that the first one holds, the first could never get the connection it needs:
// the pool would deadlock until the transactions' deadline. So some connections are kept for
// plain statements (which run no plugin code while they hold one), and a transaction beyond the
// limit waits here, holding nothing.
import type { Sql } from 'postgres';

type Slots = { free: number; waiting: (() => void)[] };

const byPool = new WeakMap<Sql, Slots>();

/** Connections kept for plain statements: a quarter of the pool, at least one. */
export function openTransactionLimit(poolMax: number): number {
  return Math.max(1, poolMax - Math.max(1, Math.floor(poolMax / 4)));
}

function slotsOf(pool: Sql): Slots {
  let s = byPool.get(pool);
  if (!s) {
    s = { free: openTransactionLimit(Number(pool.options.max) || 10), waiting: [] };
    byPool.set(pool, s);
  }
  return s;
}

/** Waits for a slot (first come, first served); the returned function gives it back, once. */
export async function takeTransactionSlot(pool: Sql): Promise<() => void> {
  const s = slotsOf(pool);
  if (s.free > 0) s.free--;
  else await new Promise<void>((resolve) => s.waiting.push(resolve));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = s.waiting.shift();
    if (next) next();
    else s.free++;
  };
}
