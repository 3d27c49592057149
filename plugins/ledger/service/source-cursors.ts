// A source's sync position (e.g. a Plaid cursor per item), kept by the ledger so it commits in the
// same transaction as the rows it covers: a crash leaves both or neither (see applyTransactionBatch).
import { z } from 'zod';
import { SourceId } from '../schemas/common.ts';
import { parse } from './errors.ts';
import { householdId } from './household.ts';
import type { Tx } from './tx.ts';

const Key = z.string().min(1).max(255);

export async function getSourceCursor(tx: Tx, source: string, key: string): Promise<string | null> {
  parse(SourceId, source);
  parse(Key, key);
  const [row] = await tx<{ cursor: string }>`select cursor from ledger.source_cursors where source = ${source} and key = ${key}`;
  return row?.cursor ?? null;
}

export async function setSourceCursor(tx: Tx, source: string, key: string, cursor: string): Promise<void> {
  await tx`
    insert into ledger.source_cursors (household_id, source, key, cursor)
    values (${householdId(tx)}, ${source}, ${key}, ${cursor})
    on conflict (household_id, source, key) do update set cursor = excluded.cursor, updated_at = now()`;
}
