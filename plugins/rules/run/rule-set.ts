// Loading the household's rules into a compiled RuleSet, and counting what fired.
import type { PluginLog, PluginSql } from '../../../plugin-sdk/index.ts';
import { compileRules, type RuleSet } from '../engine/engine.ts';
import type { Rule } from '../engine/schema.ts';
import { existing } from '../store/references.ts';
import { listRules } from '../store/rules.ts';

/**
 * Compiles the enabled rules (or only `ids`, in their run order). A "set category" action naming a
 * category that no longer exists is dropped, so one stale rule cannot fail a whole batch on the
 * ledger's foreign key; the rules page shows such rules as needing attention.
 */
export async function loadRuleSet(sql: PluginSql, ids?: string[] | null, log?: PluginLog): Promise<RuleSet> {
  const rules = await listRules(sql, { enabledOnly: true, ids: ids ?? undefined });
  const set = compileRules(await withoutMissingCategories(sql, rules));
  if (log) for (const s of set.skipped) logSkipped(log, s);
  return set;
}

/**
 * A stored rule with a pattern that cannot run on the linear engine (saved before patterns were
 * checked for it) is left out of every run until edited; the rules page flags it. Logged once per
 * rule and process, without the pattern (it is the household's data).
 */
const warned = new Set<string>();
function logSkipped(log: PluginLog, s: RuleSet['skipped'][number]): void {
  if (warned.has(s.id)) return;
  if (warned.size >= 10_000) warned.clear();
  warned.add(s.id);
  log.warn('rule skipped: a condition cannot run in linear time', { ruleId: s.id, condition: s.condition });
}

export async function withoutMissingCategories<R extends Rule>(sql: PluginSql, rules: R[]): Promise<R[]> {
  const missing = await missingCategories(sql, rules);
  if (!missing.size) return rules;
  return rules.map((r) => ({ ...r, actions: r.actions.filter((a) => a.type !== 'set_category' || !missing.has(a.categoryId)) }));
}

/** Category ids that rules name but the ledger no longer has. */
export async function missingCategories(sql: PluginSql, rules: Rule[]): Promise<Set<string>> {
  const wanted = [...new Set(rules.flatMap((r) => r.actions.flatMap((a) => (a.type === 'set_category' ? [a.categoryId] : []))))];
  const found = await existing(sql, 'categories', wanted);
  return new Set(wanted.filter((id) => !found.has(id.toLowerCase())));
}

/** Adds how many times each rule fired (one statement for all rules). */
export async function recordFired(sql: PluginSql, counts: Map<string, number>): Promise<void> {
  if (!counts.size) return;
  const rows = [...counts].map(([id, n]) => ({ id, n }));
  await sql`update rules r set fired_count = r.fired_count + c.n, last_fired_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as c(id uuid, n bigint) where r.id = c.id`;
}

export function countFired(into: Map<string, number>, fired: string[]): void {
  for (const id of fired) into.set(id, (into.get(id) ?? 0) + 1);
}
