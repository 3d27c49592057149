// Categories the user manages: list (groups, each followed by its categories), create, rename,
// hide, move, delete. Merging is in category-merge.ts, the seed in category-seed.ts.
import { CategoryCreate, CategoryUpdate, type CategoryCreateT, type CategoryT, type CategoryUpdateT } from '../schemas/categories.ts';
import { Id } from '../schemas/common.ts';
import { conflict, invalid, notFound, parse } from './errors.ts';
import { householdId } from './household.ts';
import { join, type Fragment, type Tx } from './tx.ts';

type CategoryRow = {
  id: string; parent_id: string | null; name: string; kind: CategoryT['kind']; hidden: boolean; position: number;
  is_group: boolean; pfc_codes: string[];
};

const toCategory = (r: CategoryRow): CategoryT => ({
  id: r.id,
  parentId: r.parent_id,
  name: r.name,
  kind: r.kind,
  hidden: r.hidden,
  position: r.position,
  isGroup: r.is_group,
  pfcCodes: r.pfc_codes,
});

const selectCategories = (tx: Tx, where: Fragment) => tx<CategoryRow>`
  select c.id, c.parent_id, c.name, c.kind, c.hidden, c.position, c.is_group,
    coalesce((select array_agg(m.pfc_code order by m.pfc_code) from ledger.category_pfc m where m.category_id = c.id), '{}') as pfc_codes
  from ledger.categories c
  left join ledger.categories g on g.id = c.parent_id
  where ${where}
  order by coalesce(g.position, c.position), lower(coalesce(g.name, c.name)), coalesce(g.id, c.id), c.parent_id nulls first, c.position, lower(c.name)`;

/** Groups in order, each followed by its categories. Hidden ones only when asked. */
export async function listCategories(tx: Tx, opts: { includeHidden?: boolean } = {}): Promise<CategoryT[]> {
  const rows = await selectCategories(tx, opts.includeHidden ? tx`true` : tx`not c.hidden and not coalesce(g.hidden, false)`);
  return rows.map(toCategory);
}

export async function getCategory(tx: Tx, id: string): Promise<CategoryT> {
  if (!Id.safeParse(id).success) throw notFound('category');
  const [row] = await selectCategories(tx, tx`c.id = ${id}`);
  if (!row) throw notFound('category');
  return toCategory(row);
}

export async function createCategory(tx: Tx, input: CategoryCreateT): Promise<CategoryT> {
  const c = parse(CategoryCreate, input);
  let kind = c.kind ?? 'expense';
  if (c.parentId) {
    const parent = await getCategory(tx, c.parentId);
    if (!parent.isGroup) throw invalid('a category can only be placed in a group');
    kind = c.kind ?? parent.kind;
  }
  const [{ id }] = await tx<{ id: string }>`
    insert into ledger.categories (household_id, parent_id, name, kind, hidden, position)
    values (${householdId(tx)}, ${c.parentId ?? null}, ${c.name}, ${kind}, ${c.hidden},
      (select coalesce(max(position) + 1, 0) from ledger.categories where parent_id is not distinct from ${c.parentId ?? null}::uuid))
    returning id`.then(undefined, uniqueName);
  return getCategory(tx, id);
}

/** Rename, hide, change kind or position, move to another group. */
export async function updateCategory(tx: Tx, id: string, input: CategoryUpdateT): Promise<CategoryT> {
  const patch = parse(CategoryUpdate, input);
  const current = await getCategory(tx, id);
  const set: Fragment[] = [];
  if (patch.name !== undefined) set.push(tx`name = ${patch.name}`);
  if (patch.kind !== undefined) set.push(tx`kind = ${patch.kind}`);
  if (patch.hidden !== undefined) set.push(tx`hidden = ${patch.hidden}`);
  if (patch.position !== undefined) set.push(tx`position = ${patch.position}`);
  if (patch.parentId !== undefined && patch.parentId !== current.parentId) {
    if (patch.parentId === id) throw invalid('a category cannot be its own group');
    if (patch.parentId !== null) {
      const parent = await getCategory(tx, patch.parentId);
      if (!parent.isGroup) throw invalid('a category can only be placed in a group');
    }
    set.push(tx`parent_id = ${patch.parentId}::uuid`);
  }
  if (set.length) {
    await tx`update ledger.categories set ${join(tx, set, ', ')}, updated_at = now() where id = ${id}`
      .then(undefined, uniqueName)
      .then(undefined, (err: unknown) => {
        // The depth foreign key: a group that has categories cannot go inside another group.
        if ((err as { code?: string }).code === '23503') throw invalid('move or merge the categories of this group first');
        throw err;
      });
  }
  return getCategory(tx, id);
}

/**
 * Deletes a category (a group with its categories). Their transactions become uncategorized and
 * open to automation again. Returns the deleted category ids and the transactions that changed.
 */
export async function deleteCategory(tx: Tx, id: string): Promise<{ categoryIds: string[]; transactionIds: string[] }> {
  await getCategory(tx, id);
  const ids = (await tx`select id from ledger.categories where id = ${id} or parent_id = ${id}`).map((r) => r.id as string);
  const changed = await tx`
    update ledger.transactions set category_id = null, category_source = null, updated_at = now()
    where category_id = any(${ids}::uuid[]) returning id`;
  await tx`delete from ledger.categories where id = any(${ids}::uuid[])`;
  return { categoryIds: ids, transactionIds: changed.map((r) => r.id as string) };
}

function uniqueName(err: unknown): never {
  if ((err as { code?: string }).code === '23505') throw conflict('a category with this name already exists here');
  throw err;
}
