// Writes what rules decided (the rules plugin's `enrich` answer) in one statement. The user still
// wins: a category the user chose stays, notes are only filled where there are none, and a rule can
// set excluded/transfer but never clear what the user set. Returns the ids that really changed.
import { RuleChanges, type RuleChangesT } from '../schemas/rule-changes.ts';
import { foreignKeyAsNotFound, parse } from './errors.ts';
import { jsonParam, type Tx } from './tx.ts';

export async function applyRuleChanges(tx: Tx, input: RuleChangesT): Promise<string[]> {
  const changes = parse(RuleChanges, input);
  if (!changes.length) return [];
  const json = changes.map(({ id, change: c }) => ({
    id,
    set_category: c.categoryId !== undefined,
    category_id: c.categoryId ?? null,
    payee: c.payee ?? null,
    tags: c.tags ?? null,
    notes: c.notes ?? null,
    excluded: c.excluded ?? null,
    is_transfer: c.isTransfer ?? null,
  }));
  const rows = await tx<{ id: string }>`
    with s as (
      select * from jsonb_to_recordset(${jsonParam(json)}::text::jsonb) as s(
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
    returning t.id`.then(undefined, foreignKeyAsNotFound('category'));
  return rows.map((r) => r.id);
}
