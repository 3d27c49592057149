// "Apply to existing": both the preview and the apply job walk the household's transactions page by
// page through the very same function, so the number the preview promises is the number of
// transactions the apply changes (the test checks that), as long as nothing else changes them between.
import type { PluginSql } from '../../../plugin-sdk/index.ts';
import { hasChanges, runRules, type RuleChange, type RuleSet, type RuleTxn } from '../engine/engine.ts';
import { readPage, type Scope } from '../ledger/transactions.ts';
import type { TxnChange } from '../ledger/write-changes.ts';

export const PAGE_SIZE = 10_000;

export type PageResult = { scanned: number; changes: (TxnChange & { before: RuleTxn; fired: string[] })[]; lastId: string | null };

/** Runs the rules over one page; returns the transactions they would change. */
export function runPage(set: RuleSet, page: RuleTxn[]): PageResult['changes'] {
  const out: PageResult['changes'] = [];
  for (const t of page) {
    const { change, fired } = runRules(set, t);
    if (hasChanges(change)) out.push({ id: t.id, change, before: t, fired });
  }
  return out;
}

/** How each page runs: plain statements (preview) or one transaction per page (apply). */
export type PageRunner = <T>(fn: (sql: PluginSql) => Promise<T>) => Promise<T>;

/**
 * Calls `onPage` for each page of transactions in scope, in id order, starting after `afterId`.
 * A page is read and handled inside one `run` call, so the apply job writes a page in the
 * transaction it was read in.
 */
export async function scanPages(
  run: PageRunner,
  set: RuleSet,
  scope: Scope,
  onPage: (sql: PluginSql, p: PageResult) => Promise<void>,
  opts: { afterId?: string | null; pageSize?: number } = {},
): Promise<void> {
  let after = opts.afterId ?? null;
  const size = opts.pageSize ?? PAGE_SIZE;
  for (let more = true; more; ) {
    more = await run(async (sql) => {
      const page = await readPage(sql, scope, after, size);
      if (!page.length) return false;
      after = page[page.length - 1].id;
      await onPage(sql, { scanned: page.length, changes: runPage(set, page), lastId: after });
      return page.length === size;
    });
  }
}

export type SampleItem = {
  id: string; date: string; amount: string; payee: string | null; rules: string[];
  changes: { field: keyof RuleChange; before: unknown; after: unknown }[];
};

/** A changed transaction as the preview shows it: which fields go from what to what, and which rules did it. */
export function describe(set: RuleSet, c: PageResult['changes'][number]): SampleItem {
  const names = new Map(set.rules.map((r) => [r.id, r.name]));
  return {
    id: c.id,
    date: c.before.date,
    amount: c.before.amount,
    payee: c.before.payee,
    rules: c.fired.map((id) => names.get(id) ?? id),
    changes: (Object.keys(c.change) as (keyof RuleChange)[]).map((field) => ({ field, before: c.before[field], after: c.change[field] })),
  };
}
