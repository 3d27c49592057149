// Many transactions at once: the transactions page's bulk actions (the user's), and the category a
// rule chose (which yields to the user's choice).
import { z } from 'zod';
import { Id } from '../schemas/common.ts';
import { TransactionBulkUpdate, type TransactionBulkUpdateT } from '../schemas/transactions.ts';
import { foreignKeyAsNotFound, parse } from './errors.ts';
import { jsonParam, type Tx } from './tx.ts';

/** Sets a category and/or adds/removes tags and/or (un)excludes. Returns the ids that exist. */
export async function bulkUpdateTransactions(tx: Tx, input: TransactionBulkUpdateT): Promise<string[]> {
  const b = parse(TransactionBulkUpdate, input);
  const setCategory = b.categoryId !== undefined;
  const rows = await tx`
    update ledger.transactions set
      category_id = case when ${setCategory} then ${b.categoryId ?? null}::uuid else category_id end,
      category_source = case when ${setCategory} then 'user' else category_source end,
      tags = array(
        select tag from unnest(tags || ${b.addTags ?? []}::text[]) with ordinality as u(tag, n)
        where tag <> all(${b.removeTags ?? []}::text[])
        group by tag order by min(n)),
      excluded = coalesce(${b.excluded ?? null}::boolean, excluded),
      updated_at = now()
    where id = any(${b.ids}::uuid[])
    returning id`.then(undefined, foreignKeyAsNotFound('category'));
  return rows.map((r) => r.id as string);
}

const RuleAssignments = z.array(z.object({ id: Id, categoryId: Id.nullable() }).strict()).max(50_000);

/**
 * Categories chosen by the rules plugin. A transaction whose category the user chose is left alone.
 * Returns the ids that actually changed.
 */
export async function setRuleCategories(tx: Tx, input: { id: string; categoryId: string | null }[]): Promise<string[]> {
  const assignments = parse(RuleAssignments, input);
  if (!assignments.length) return [];
  const json = assignments.map((a) => ({ id: a.id, category_id: a.categoryId }));
  const rows = await tx`
    update ledger.transactions t set category_id = s.category_id, category_source = 'rule', updated_at = now()
    from jsonb_to_recordset(${jsonParam(json)}::text::jsonb) as s(id uuid, category_id uuid)
    where t.id = s.id and t.category_source is distinct from 'user'
      and (t.category_id, t.category_source) is distinct from (s.category_id, 'rule')
    returning t.id`.then(undefined, foreignKeyAsNotFound('category'));
  return rows.map((r) => r.id as string);
}
