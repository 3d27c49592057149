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
  // One join of the changes with the table (by primary key), and only rows that really change are
  // written: no dead tuples, no index entries for rows that already look this way.
  const rows = await sql`
    update ledger.transactions t set
      category_id = case when s.set_category and t.category_source is distinct from 'user' then s.category_id else t.category_id end,
      category_source = case when s.set_category and t.category_source is distinct from 'user' then 'rule' else t.category_source end,
      payee = coalesce(s.payee, t.payee),
      tags = coalesce(s.tags, t.tags),
      notes = case when s.notes is not null and coalesce(t.notes, '') = '' then s.notes else t.notes end,
      excluded = t.excluded or coalesce(s.excluded, false),
      is_transfer = t.is_transfer or coalesce(s.is_transfer, false),
      updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(changes.map(toRow))}::text::jsonb) as s(
      id uuid, set_category boolean, category_id uuid, payee text, tags text[], notes text, excluded boolean, is_transfer boolean)
    where t.id = s.id and (
      (s.set_category and t.category_source is distinct from 'user' and (t.category_id, t.category_source) is distinct from (s.category_id, 'rule'))
      or t.payee is distinct from coalesce(s.payee, t.payee)
      or t.tags is distinct from coalesce(s.tags, t.tags)
      or (s.notes is not null and s.notes <> '' and coalesce(t.notes, '') = '')
      or (s.excluded and not t.excluded)
      or (s.is_transfer and not t.is_transfer))
    returning t.id`;
  return rows.map((r) => r.id as string);
}
