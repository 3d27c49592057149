// upsertAccounts: how a source (plaid, snaptrade, property, import) creates and refreshes the
// accounts it feeds, keyed by (source, external id). The user's name, type, subtype and closed flag
// are never overwritten by a later sync; what the institution says goes to provider_name.
import { z } from 'zod';
import { SourceAccount, type SourceAccountT } from '../schemas/accounts.ts';
import { SourceId } from '../schemas/common.ts';
import { recordSourceBalances } from './balances.ts';
import { parse } from './errors.ts';
import { householdId } from './household.ts';
import { jsonParam, type Tx } from './tx.ts';

/** Returns the ledger id of each account, by the source's external id. */
export async function upsertAccounts(tx: Tx, source: string, input: SourceAccountT[]): Promise<Map<string, string>> {
  parse(SourceId, source);
  // One row per external id (the last wins): one statement cannot update a row twice.
  const accounts = [...new Map(parse(z.array(SourceAccount).max(10_000), input).map((a) => [a.externalId, a])).values()];
  const ids = new Map<string, string>();
  if (!accounts.length) return ids;
  const json = accounts.map((a) => ({
    external_id: a.externalId, name: a.name, type: a.type, subtype: a.subtype ?? null, currency: a.currency,
    institution: a.institution ?? null, mask: a.mask ?? null,
  }));
  const rows = await tx<{ id: string; external_id: string }>`
    insert into ledger.accounts as a (household_id, name, provider_name, type, subtype, currency, institution, mask, source, external_id)
    select ${householdId(tx)}, s.name, s.name, s.type, s.subtype, s.currency, s.institution, s.mask, ${source}, s.external_id
    from jsonb_to_recordset(${jsonParam(json)}::text::jsonb) as s(external_id text, name text, type text, subtype text, currency text, institution text, mask text)
    on conflict (household_id, source, external_id) do update set
      provider_name = excluded.provider_name, currency = excluded.currency, institution = excluded.institution,
      mask = excluded.mask, updated_at = now()
    where (a.provider_name, a.currency, a.institution, a.mask)
      is distinct from (excluded.provider_name, excluded.currency, excluded.institution, excluded.mask)
    returning a.id, a.external_id`;
  for (const r of rows) ids.set(r.external_id, r.id);
  // Rows left untouched by the WHERE above return nothing: look their ids up.
  const missing = accounts.map((a) => a.externalId).filter((e) => !ids.has(e));
  if (missing.length) {
    for (const r of await tx<{ id: string; external_id: string }>`
      select id, external_id from ledger.accounts where source = ${source} and external_id = any(${missing}::text[])`) {
      ids.set(r.external_id, r.id);
    }
  }
  await recordSourceBalances(
    tx,
    accounts.filter((a) => a.balance).map((a) => ({
      accountId: ids.get(a.externalId)!,
      current: a.balance!.current,
      available: a.balance!.available ?? null,
      asOf: a.balance!.asOf ?? null,
    })),
  );
  return ids;
}
