// ctx.db on the kernel side: statements run in transactions bound (HMAC, see household-binding.ts)
// to the call's household and user, with search_path set to the plugin's own schema. Open
// transactions are addressed by an id so the same API works over RPC; each is tied to the port
// that opened it and rolled back if it outlives its deadline.
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { bindTransaction, type Tx } from '../db/household-binding.ts';
import { ident } from '../db/roles.ts';
import type { Row, Statement } from '../../plugin-sdk/types.ts';
import { PermissionDenied } from './errors.ts';
import { takeTransactionSlot } from './tx-slots.ts';

export type DbBinding = { pool: Sql; bindingKey: Buffer; schema: string; householdId: string; userId: string | null };

const TX_DEADLINE_MS = 30_000;

// Defence in depth: the database already refuses these (the plugin's role is a member of no role,
// and a forged binding fails its HMAC), but a clear refusal beats a confusing empty result.
const FORBIDDEN = [
  /\b(set|reset)\s+(local\s+|session\s+)?(role|session\s+authorization)\b/i,
  /\bmff\.binding\b/i,
  /\bkernel\.binding_key\b/i,
];

export function checkStatement(text: string): void {
  for (const re of FORBIDDEN) if (re.test(text)) throw new PermissionDenied(`statement refused: plugins may not change role or household binding (${re.source})`);
}

async function run(tx: Tx, stmt: Statement): Promise<Row[]> {
  checkStatement(stmt.text);
  // simple: false forces the extended protocol: exactly one statement, parameters always bound.
  // prepare: true names the statement on this connection, so the next run of the same text skips
  // parse, describe (a round trip) and often planning. PostgreSQL re-plans when the search_path or
  // role differs, so plugins sharing a connection never share a plan's meaning. Measured on the
  // ingest bench, three runs each way: one sync 15.9k–17.8k tx/s against 15.9k–16.5k, a re-sync
  // 35k–40k against 34k–35k; the rules bench showed no difference above noise.
  const rows = await tx.unsafe(stmt.text, (stmt.params ?? []) as never[], { simple: false, prepare: true } as never);
  // The driver's rows are plain objects already; slice() only drops its Result array subclass
  // (copying every row was ~0.3 µs a row in a CPU profile of the rules scan, plus its garbage).
  return rows.slice();
}

type OpenTx = { tx: Tx; finish(commit: boolean): void; done: Promise<void>; timer: NodeJS.Timeout };

export function createDbCapability(b: DbBinding) {
  const open = new Map<string, OpenTx>();

  const bound = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
    b.pool.begin(async (t) => {
      const tx = t as Tx;
      await bindTransaction(tx, b.bindingKey, { householdId: b.householdId, userId: b.userId }, `${ident(b.schema)}, public`);
      return fn(tx);
    }) as Promise<T>;

  const take = (txId: string): OpenTx => {
    const t = open.get(txId);
    if (!t) throw new Error(`no open transaction ${txId} (it ended, timed out, or belongs to another call)`);
    return t;
  };

  const end = async (txId: string, commit: boolean) => {
    const t = take(txId);
    open.delete(txId);
    clearTimeout(t.timer);
    t.finish(commit);
    await t.done;
  };

  return {
    query: async (stmt: Statement, txId?: string) => (txId ? run(take(txId).tx, stmt) : bound((tx) => run(tx, stmt))),
    batch: (stmts: Statement[]) =>
      bound(async (tx) => {
        const out: Row[][] = [];
        for (const s of stmts) out.push(await run(tx, s));
        return out;
      }),
    // An open transaction first takes one of the pool's transaction slots (tx-slots.ts), so plain
    // statements, including those of services it calls, always find a connection.
    begin: async () => {
      const release = await takeTransactionSlot(b.pool);
      return new Promise<string>((resolveId, reject) => {
        const id = randomUUID();
        const entry = {} as OpenTx;
        let started = false;
        entry.done = bound(
          (tx) =>
            new Promise<void>((commit, rollback) => {
              entry.tx = tx;
              entry.finish = (c) => (c ? commit() : rollback(new RolledBack()));
              entry.timer = setTimeout(() => {
                if (open.delete(id)) rollback(new Error(`transaction exceeded ${TX_DEADLINE_MS} ms and was rolled back`));
              }, TX_DEADLINE_MS);
              entry.timer.unref();
              open.set(id, entry);
              started = true;
              resolveId(id);
            }),
        )
          .catch((err) => {
            clearTimeout(entry.timer);
            open.delete(id);
            if (!started) reject(err);
            else if (!(err instanceof RolledBack)) throw err;
          })
          .finally(release);
        entry.done.catch(() => {}); // a timed-out transaction nobody ends is not an unhandled rejection
      });
    },
    commit: async (txId: string) => end(txId, true),
    rollback: async (txId: string) => end(txId, false),
    /** Rolls back whatever the call left open (the call ended). */
    async dispose() {
      await Promise.all([...open.keys()].map((id) => end(id, false).catch(() => {})));
    },
  };
}

class RolledBack extends Error {}
