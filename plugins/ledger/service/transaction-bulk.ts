// The transactions page's bulk actions: the user's choices for many transactions at once.
import { TransactionBulkUpdate, type TransactionBulkUpdateT } from '../schemas/transactions.ts';
import { foreignKeyAsNotFound, parse, tooManyTagsAsInvalid } from './errors.ts';
import type { Tx } from './tx.ts';

/** Sets a category, adds/removes tags, (un)excludes, (un)marks transfers. Returns the ids that exist. */
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
      is_transfer = coalesce(${b.isTransfer ?? null}::boolean, is_transfer),
      updated_at = now()
    where id = any(${b.ids}::uuid[])
    returning id`.then(undefined, foreignKeyAsNotFound('category')).then(undefined, tooManyTagsAsInvalid('addTags'));
  return rows.map((r) => r.id as string);
}
