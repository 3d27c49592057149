// Writes what rules changed back to ledger.transactions (granted write), many rows per statement:
// the changes travel as one jsonb parameter. The same guards as the engine hold in SQL too, so a
// user's edit that lands between reading and writing still wins: a category the user chose is kept,
// a note is only written where there is none. Returns the ids of the rows that really changed.
import type { PluginSql } from '../../../plugin-sdk/index.ts';
import type { RuleChange } from '../engine/engine.ts';

export type TxnChange = { id: string; change: RuleChange };

type Row = {
  id: string; set_category: boolean; category_id: string | null; payee: string | null; tags: string[] | null;
  notes: string | null; excluded: boolean | null; is_transfer: boolean | null;
};

const toRow = ({ id, change: c }: TxnChange): Row => ({
  id,
  set_category: c.categoryId !== undefined,
  category_id: c.categoryId ?? null,
  payee: c.payee ?? null,
  tags: c.tags ?? null,
  notes: c.notes ?? null,
  excluded: c.excluded ?? null,
  is_transfer: c.isTransfer ?? null,
});

export async function writeChanges(sql: PluginSql, changes: TxnChange[]): Promise<string[]> {
  if (!changes.length) return [];
  const rows = await sql`
    with s as (
      select * from jsonb_to_recordset(${JSON.stringify(changes.map(toRow))}::text::jsonb) as s(
        id uuid, set_category boolean, category_id uuid, payee text, tags text[], notes text, excluded boolean, is_transfer boolean)
    ), n as (
      select t.id,
        case when s.set_category and t.category_source is distinct from 'user' then s.category_id else t.category_id end as category_id,
        case when s.set_category and t.category_source is distinct from 'user' then 'rule' else t.category_source end as category_source,
        coalesce(s.payee, t.payee) as payee,
        coalesce(s.tags, t.tags) as tags,
        case when s.notes is not null and coalesce(t.notes, '') = '' then s.notes else t.notes end as notes,
        t.excluded or coalesce(s.excluded, false) as excluded,
        t.is_transfer or coalesce(s.is_transfer, false) as is_transfer
      from s join ledger.transactions t on t.id = s.id
    )
    update ledger.transactions t set category_id = n.category_id, category_source = n.category_source, payee = n.payee,
      tags = n.tags, notes = n.notes, excluded = n.excluded, is_transfer = n.is_transfer, updated_at = now()
    from n
    where t.id = n.id
      and (t.category_id, t.category_source, t.payee, t.tags, t.notes, t.excluded, t.is_transfer)
          is distinct from (n.category_id, n.category_source, n.payee, n.tags, n.notes, n.excluded, n.is_transfer)
    returning t.id`;
  return rows.map((r) => r.id as string);
}
