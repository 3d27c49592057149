// Accounts and categories of the household, for the form's pickers and the list's wording
// (granted read of ledger.accounts and ledger.categories).
import type { PluginSql } from '../../../plugin-sdk/index.ts';
import type { Names } from '../form/describe.ts';

export type Option = { id: string; label: string; group?: string };

export async function accountOptions(sql: PluginSql): Promise<Option[]> {
  const rows = await sql`select id, name from ledger.accounts where not closed order by lower(name), id`;
  return rows.map((r) => ({ id: r.id as string, label: r.name as string }));
}

/** Groups and their categories, in the ledger's order: a group is offered as itself too. */
export async function categoryOptions(sql: PluginSql): Promise<Option[]> {
  const rows = await sql`select c.id, c.name, g.name as group_name
    from ledger.categories c left join ledger.categories g on g.id = c.parent_id
    where not c.hidden and not coalesce(g.hidden, false)
    order by coalesce(g.position, c.position), lower(coalesce(g.name, c.name)), c.parent_id nulls first, c.position, lower(c.name)`;
  return rows.map((r) => ({ id: r.id as string, label: r.name as string, group: (r.group_name as string | null) ?? undefined }));
}

/** PFC codes the household's categories map, for the provider-category field's suggestions. */
export async function pfcCodes(sql: PluginSql): Promise<string[]> {
  return (await sql`select distinct pfc_code from ledger.category_pfc order by pfc_code`).map((r) => r.pfc_code as string);
}

export async function loadNames(sql: PluginSql): Promise<Names> {
  const [accounts, categories] = await Promise.all([
    sql`select id, name from ledger.accounts`,
    sql`select c.id, case when g.name is null then c.name else g.name || ' › ' || c.name end as name
        from ledger.categories c left join ledger.categories g on g.id = c.parent_id`,
  ]);
  return {
    accounts: new Map(accounts.map((r) => [r.id as string, r.name as string])),
    categories: new Map(categories.map((r) => [r.id as string, r.name as string])),
  };
}
