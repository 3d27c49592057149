// Merging one category into another: its transactions and PFC mappings move over, then it is
// deleted. Merging a group into a group merges same-named categories and moves the others; a
// category may also be merged into a group (its transactions then sit on the group itself).
// The caller emits `ledger.categories.merged` for each pair so budgets can move theirs too.
import { CategoryMerge, type CategoryMergeT } from '../schemas/categories.ts';
import { getCategory } from './categories.ts';
import { invalid, parse } from './errors.ts';
import type { Tx } from './tx.ts';

export type MergeResult = {
  /** Every (from → into) pair merged, children first. */
  merged: { fromId: string; intoId: string }[];
  /** Transactions whose category changed. */
  transactionIds: string[];
};

export async function mergeCategories(tx: Tx, input: CategoryMergeT): Promise<MergeResult> {
  const { fromId, intoId } = parse(CategoryMerge, input);
  if (fromId === intoId) throw invalid('cannot merge a category into itself');
  const from = await getCategory(tx, fromId);
  const into = await getCategory(tx, intoId);
  const result: MergeResult = { merged: [], transactionIds: [] };
  if (from.isGroup) {
    if (!into.isGroup) throw invalid('a group can only be merged into another group');
    const children = await tx<{ id: string; twin: string | null }>`
      select c.id, t.id as twin from ledger.categories c
      left join ledger.categories t on t.parent_id = ${intoId} and lower(t.name) = lower(c.name)
      where c.parent_id = ${fromId}`;
    for (const { id, twin } of children) {
      if (twin) await mergeOne(tx, id, twin, result);
      else await tx`update ledger.categories set parent_id = ${intoId}, updated_at = now() where id = ${id}`;
    }
  }
  await mergeOne(tx, fromId, intoId, result);
  return result;
}

async function mergeOne(tx: Tx, fromId: string, intoId: string, result: MergeResult): Promise<void> {
  const moved = await tx`
    update ledger.transactions set category_id = ${intoId}, updated_at = now() where category_id = ${fromId} returning id`;
  await tx`update ledger.category_pfc set category_id = ${intoId} where category_id = ${fromId}`;
  await tx`delete from ledger.categories where id = ${fromId}`;
  result.merged.push({ fromId, intoId });
  for (const r of moved) result.transactionIds.push(r.id as string);
}
