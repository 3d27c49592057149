// "Apply to existing": both the preview and the apply job walk the household's transactions page by
// page through the very same function, so the number the preview promises is the number of
// transactions the apply changes (the test checks that), as long as nothing else changes them between.
import type { PluginSql } from '../../../plugin-sdk/index.ts';
import { hasChanges, runRules, type RuleChange, type RuleSet, type RuleTxn } from '../engine/engine.ts';
import { readPage, type Scope } from '../ledger/transactions.ts';
import type { TxnChange } from '../ledger/write-changes.ts';

export const PAGE_SIZE = 10_000;

export type PageResult = { scanned: number; changes: (TxnChange & { before: RuleTxn; fired: string[] })[] };

/** Runs the rules over one page; returns the transactions they would change. */
export function runPage(set: RuleSet, page: RuleTxn[]): PageResult['changes'] {
  const out: PageResult['changes'] = [];
  for (const t of page) {
    const { change, fired } = runRules(set, t);
    if (hasChanges(change)) out.push({ id: t.id, change, before: t, fired });
  }
  return out;
}

const SLICE = 1_000;

/**
 * runPage in slices, giving the event loop a turn between them: the next page is streaming in
 * meanwhile, and a loop that held the thread for a whole page would leave its rows in the socket
 * (and PostgreSQL waiting on a full socket) until the page was done.
 */
export async function runPageInSlices(set: RuleSet, page: RuleTxn[], slice = SLICE): Promise<PageResult['changes']> {
  const out: PageResult['changes'] = [];
  for (let from = 0; from < page.length; from += slice) {
    if (from > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const c of runPage(set, page.slice(from, from + slice))) out.push(c);
  }
  return out;
}

/** How each page's results are handled: plain statements (preview) or one transaction per page (apply). */
export type PageRunner = <T>(fn: (sql: PluginSql) => Promise<T>) => Promise<T>;

/** When pages are handed on together: at this many changes, or this long after the last hand-over. */
export type Batching = { changes: number; ms: number };

/**
 * Calls `onPage` for the pages of transactions in scope, in (date, id) order. Pages are read with
 * `read`; while a page is run and handled (inside `run`, e.g. a transaction that writes it), the
 * next is already being read, and up to `concurrency` hand-overs are handled at once (each in its
 * own transaction: they touch different rows), so the database and the engine work at the same time.
 * With `batch`, consecutive pages are handed on together (their counts added, their changes joined):
 * one write and one commit for many pages that change little.
 */
export async function scanPages(
  read: PluginSql,
  run: PageRunner,
  set: RuleSet,
  scope: Scope,
  onPage: (sql: PluginSql, p: PageResult) => Promise<void>,
  opts: { pageSize?: number; concurrency?: number; batch?: Batching } = {},
): Promise<void> {
  const size = opts.pageSize ?? PAGE_SIZE;
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const inFlight = new Set<Promise<void>>();
  let failed: unknown = null;
  let pending: PageResult = { scanned: 0, changes: [] };
  let lastHandOver = Date.now();
  const handOver = async () => {
    const result = pending;
    pending = { scanned: 0, changes: [] };
    lastHandOver = Date.now();
    while (inFlight.size >= concurrency) {
      await Promise.race(inFlight);
      if (failed) throw failed;
    }
    const handled: Promise<void> = run((sql) => onPage(sql, result)).then(
      () => void inFlight.delete(handled),
      (err) => {
        inFlight.delete(handled);
        failed ??= err;
      },
    );
    inFlight.add(handled);
  };
  let next = readPage(read, scope, null, size, set.fields);
  try {
    for (;;) {
      const page = await next;
      if (!page.length) break;
      const last = page[page.length - 1];
      const more = page.length === size;
      next = more ? readPage(read, scope, { date: last.date, id: last.id }, size, set.fields) : Promise.resolve([]);
      next.catch(() => {}); // if handling a page fails, the read in flight must not become an unhandled rejection
      const changes = await runPageInSlices(set, page);
      pending.scanned += page.length;
      for (const c of changes) pending.changes.push(c);
      const due = !opts.batch || pending.changes.length >= opts.batch.changes || Date.now() - lastHandOver >= opts.batch.ms;
      if (due || !more) await handOver();
      if (failed) throw failed;
      if (!more) break;
    }
    // The last full page was followed by an empty one: what is still pending is handed over now.
    if (pending.scanned > 0 && !failed) await handOver();
  } finally {
    await Promise.all(inFlight);
  }
  if (failed) throw failed;
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
