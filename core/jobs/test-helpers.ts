// Shared by the job bus tests: a migrated database with two households, and a polling wait.
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { kernelMigrations, openDatabase, type Database } from '../db/database.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';

export type Fixture = { tdb: TestDatabase; db: Database; A: string; B: string; close(): Promise<void> };

export async function householdFixture(): Promise<Fixture> {
  const tdb = await createTestDatabase();
  const config = await loadConfig(resolve(import.meta.dirname, '../..'));
  const db = await openDatabase(config, { url: tdb.url, sources: [kernelMigrations(config)], migrate: false, poolSize: 6 });
  const A = crypto.randomUUID();
  const B = crypto.randomUUID();
  for (const [id, name] of [[A, 'Household A'], [B, 'Household B']]) {
    await db.withHousehold({ householdId: id }, (tx) =>
      tx`insert into kernel.households (id, name, base_currency, time_zone) values (${id}, ${name}, 'EUR', 'UTC')`);
  }
  return { tdb, db, A, B, close: async () => { await db.close(); await tdb.drop(); } };
}

/** Polls until `check` returns a truthy value (the test's own timeout bounds the wait). */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, what = 'condition'): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await check();
    if (v) return v;
    if (i > 1200) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
