// Runs ledger service code the way the kernel runs an in-process plugin's ctx.db.tx(sql => ...):
// the kernel's db capability (core/plugins/cap-db.ts: bound transaction, search_path = ledger,
// statement checks) under the SDK's sql tag. Shared by the ledger's tests and its benchmark.
import type { Database } from '../../../core/db/database.ts';
import { createDbCapability } from '../../../core/plugins/cap-db.ts';
import { createSql } from '../../../plugin-sdk/sql.ts';
import type { Tx } from '../service/tx.ts';

export async function ledgerTx<T>(db: Database, householdId: string, fn: (tx: Tx) => PromiseLike<T>): Promise<T> {
  const cap = createDbCapability({ pool: db.app, bindingKey: db.bindingKey, schema: 'ledger', householdId, userId: null });
  const txId = await cap.begin();
  let result: T;
  try {
    result = await fn(createSql((stmt) => cap.query(stmt, txId)));
  } catch (err) {
    await cap.rollback(txId).catch(() => {});
    throw err;
  }
  await cap.commit(txId);
  return result;
}
