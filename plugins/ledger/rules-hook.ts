// Added by the rules/budgets work (issue 5), kept apart so the ledger's own files change by one call.
//
// Rules run on every new or modified transaction before anyone sees it: inside the ledger's own
// database transaction, the rows just written are handed to the optional `rules` service (plain
// data, so it works in-process and sandboxed), and its decisions are written by applyRuleChanges in
// the same transaction: they commit together with the rows, or not at all. Without the rules plugin
// (not installed, or disabled) nothing happens.
import type { PluginContext } from '../../plugin-sdk/index.ts';
import { applyRuleChanges } from './service/rule-changes.ts';
import type { Tx } from './service/tx.ts';

type RuleChange = { categoryId?: string | null; payee?: string; tags?: string[]; notes?: string; excluded?: boolean; isTransfer?: boolean };
type RulesService = { enrich(transactions: unknown[]): Promise<{ id: string; change: RuleChange; fired: string[] }[]> };

/**
 * Runs the household's rules on the transactions `ids` (just inserted or updated in `tx`) and writes
 * what they decide. `userFields`: fields the user set by hand in this very edit, which rules must
 * leave as the user put them (the category is protected anyway by category_source 'user').
 * Returns the ids rules changed.
 */
export async function enrichWithRules(ctx: PluginContext, tx: Tx, ids: string[], userFields: (keyof RuleChange)[] = []): Promise<string[]> {
  if (!ids.length || !(await ctx.services.has('rules'))) return [];
  const rows = await tx`
    select id, account_id as "accountId", date::text as date, amount::text as amount, payee, description, notes,
      category_id as "categoryId", category_source as "categorySource", provider_category_primary as "pfcPrimary",
      provider_category_detailed as "pfcDetailed", pending, tags, excluded, is_transfer as "isTransfer"
    from ledger.transactions where id = any(${ids}::uuid[])`;
  if (!rows.length) return [];
  const decisions = await ctx.services.get<RulesService>('rules').enrich(rows);
  const changes = decisions
    .map(({ id, change }) => ({ id, change: Object.fromEntries(Object.entries(change).filter(([k]) => !userFields.includes(k as keyof RuleChange))) }))
    .filter((d) => Object.keys(d.change).length > 0);
  return applyRuleChanges(tx, changes);
}
