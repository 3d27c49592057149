// Lets pg-boss write a job inside a postgres.js transaction (pg-boss's `db` option), so a job
// enqueued together with the data it concerns exists only if that transaction commits.
import type { Db } from 'pg-boss';
import type { Tx } from '../db/household-binding.ts';

export function txDatabase(tx: Tx): Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const rows = await tx.unsafe(text, values as never[]);
      return { rows: [...rows] };
    },
  };
}
