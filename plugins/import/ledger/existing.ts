// The ledger transactions a statement is compared with (granted read of ledger.transactions): every
// row of the target account in the statement's date range widened by the tolerance, from any
// source, plus this source's rows anywhere in time that carry one of the statement's ids.
import type { PluginSql } from '../../../plugin-sdk/index.ts';
import type { ExistingRow } from '../plan/dedupe.ts';
import { SOURCE } from './services.ts';

type Row = { id: string; source: string; external_id: string | null; date: string; amount: string; payee: string | null; description: string | null };

const toExisting = (r: Row): ExistingRow => ({
  id: r.id, source: r.source, externalId: r.external_id, date: r.date, amount: r.amount, payee: r.payee, description: r.description,
});

export async function existingTransactions(
  sql: PluginSql, accountId: string, range: { from: string; to: string }, externalIds: string[],
): Promise<ExistingRow[]> {
  const columns = sql`id, source, external_id, date::text as date, amount::text as amount, payee, description`;
  const inRange = await sql<Row>`select ${columns} from ledger.transactions
    where account_id = ${accountId} and date between ${range.from}::date and ${range.to}::date`;
  const elsewhere = externalIds.length
    ? await sql<Row>`select ${columns} from ledger.transactions
        where account_id = ${accountId} and source = ${SOURCE} and external_id = any(${externalIds}::text[])
          and not (date between ${range.from}::date and ${range.to}::date)`
    : [];
  return [...inRange, ...elsewhere].map(toExisting);
}
