// The accounts and categories a rule names must be the household's own (granted reads of
// ledger.accounts and ledger.categories, which row-level security limits to the household): an id
// from nowhere, or from another household, is refused when the rule is saved, naming the condition
// or action. A category deleted later is handled where rules run (run/rule-set.ts).
import type { PluginSql } from '../../../plugin-sdk/index.ts';
import type { RuleInput } from '../engine/schema.ts';

export type Issue = { path: (string | number)[]; message: string };

export async function referenceIssues(sql: PluginSql, r: RuleInput): Promise<Issue[]> {
  const listed = (field: string) => r.conditions.flatMap((c) => (c.field === field && Array.isArray(c.value) ? c.value : []));
  const categoryIds = [...listed('category'), ...r.actions.flatMap((a) => (a.type === 'set_category' ? [a.categoryId] : []))];
  const [categories, accounts] = await Promise.all([existing(sql, 'categories', categoryIds), existing(sql, 'accounts', listed('account'))]);
  const issues: Issue[] = [];
  r.conditions.forEach((c, i) => {
    const known = c.field === 'account' ? accounts : c.field === 'category' ? categories : null;
    const unknown = known && Array.isArray(c.value) ? c.value.filter((id) => !known.has(id.toLowerCase())) : [];
    if (unknown.length) {
      issues.push({ path: ['conditions', i], message: `conditions[${i}] (${c.field} ${c.op}): no such ${c.field} (${unknown.join(', ')})` });
    }
  });
  r.actions.forEach((a, i) => {
    if (a.type === 'set_category' && !categories.has(a.categoryId.toLowerCase())) {
      issues.push({ path: ['actions', i], message: `actions[${i}] (set_category): no such category` });
    }
  });
  return issues;
}

/** Which of `ids` the household's ledger has (lower-cased), in one query. */
export async function existing(sql: PluginSql, table: 'categories' | 'accounts', ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const wanted = [...new Set(ids)];
  const rows = table === 'categories'
    ? await sql`select id from ledger.categories where id = any(${wanted}::uuid[])`
    : await sql`select id from ledger.accounts where id = any(${wanted}::uuid[])`;
  return new Set(rows.map((row) => (row.id as string).toLowerCase()));
}
