// A ledger test database: a clone of the migrated template (kernel + plugin migrations), opened as
// the kernel opens it, with households to work in.
import { resolve } from 'node:path';
import { loadConfig } from '../../../core/config.ts';
import { openDatabase, kernelMigrations, type Database } from '../../../core/db/database.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import type { Tx } from '../service/tx.ts';
import { ledgerTx } from './ledger-tx.ts';

export type LedgerTestDb = {
  db: Database;
  /** Runs fn in a transaction bound to the household (as the app role, under RLS). */
  as<T>(householdId: string, fn: (tx: Tx) => PromiseLike<T>): Promise<T>;
  /** Creates a household (UTC, USD unless told) and returns its id. */
  household(opts?: { baseCurrency?: string; timeZone?: string }): Promise<string>;
  close(): Promise<void>;
};

export async function ledgerTestDb(): Promise<LedgerTestDb> {
  const tdb: TestDatabase = await createTestDatabase();
  const config = await loadConfig(resolve(import.meta.dirname, '../../..'));
  const db = await openDatabase(config, { url: tdb.url, sources: [kernelMigrations(config)], migrate: false });
  const as = <T>(householdId: string, fn: (tx: Tx) => PromiseLike<T>) => ledgerTx(db, householdId, fn);
  return {
    db,
    as,
    async household(opts = {}) {
      const id = crypto.randomUUID();
      await db.withHousehold({ householdId: id }, (tx) => tx`
        insert into kernel.households (id, name, base_currency, time_zone)
        values (${id}, ${'Household ' + id.slice(0, 8)}, ${opts.baseCurrency ?? 'USD'}, ${opts.timeZone ?? 'UTC'})`);
      return id;
    },
    async close() {
      await db.close();
      await tdb.drop();
    },
  };
}
