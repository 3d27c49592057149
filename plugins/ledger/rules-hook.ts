// Added by the rules/budgets work (issue 5), kept apart so the ledger's own files change by one call.
//
// Rules run on every new or modified transaction before anyone sees it: inside the ledger's own
// database transaction, the rows just written are handed to the optional `rules` service (plain
// data, so it works in-process and sandboxed), and its decisions are written by applyRuleChanges in
// the same transaction: they commit together with the rows, or not at all. Without the rules plugin
// (not installed, or disabled) nothing happens.
import type { PluginContext } from '../../plugin-sdk/index.ts';
import type { TransactionCreateT, TransactionT, TransactionUpdateT } from './schemas/transactions.ts';
import { createTransaction, getTransaction, updateTransaction } from './service/transactions.ts';
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

const RULE_FIELDS = ['categoryId', 'payee', 'tags', 'notes', 'excluded', 'isTransfer'] as const;

/** The fields an edit sets: the user's by hand, so rules leave them as they are. */
const userFieldsOf = (patch: object) => RULE_FIELDS.filter((f) => (patch as Record<string, unknown>)[f] !== undefined);

/** A transaction entered by hand, with the rules applied in the same transaction (a category given by the user stays). */
export async function createTransactionWithRules(ctx: PluginContext, tx: Tx, input: TransactionCreateT): Promise<TransactionT> {
  const t = await createTransaction(tx, input);
  return (await enrichWithRules(ctx, tx, [t.id])).length ? getTransaction(tx, t.id) : t;
}

/** A transaction edited by hand, with the rules run again; what this edit set is left as the user set it. */
export async function updateTransactionWithRules(ctx: PluginContext, tx: Tx, id: string, patch: TransactionUpdateT): Promise<TransactionT> {
  const t = await updateTransaction(tx, id, patch);
  return (await enrichWithRules(ctx, tx, [id], userFieldsOf(patch))).length ? getTransaction(tx, id) : t;
}
