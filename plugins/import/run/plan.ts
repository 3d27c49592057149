// The import plan: exactly which rows the job writes, fixed at its first run and stored with the
// import, so a retried job writes the same rows in the same batches (the ledger's cursor says how
// many batches already committed) instead of re-deciding duplicates against its own earlier writes.
import type { RowIssue } from '../parsers/index.ts';
import type { Analysis } from '../plan/analyse.ts';
import { MAX_ISSUES } from '../plan/preview.ts';
import { describeAccount } from '../plan/targets.ts';
import { sumDecimals } from '../parsers/index.ts';

export type PlanAccount = {
  index: number;
  accountId: string;
  name: string;
  created: boolean;
  liability: boolean;
  /** Fed only by imports: its balance moves with what is imported when the file states none. */
  importFed: boolean;
  /** Lines to add, in file order. */
  lines: number[];
  /** Ids of transactions the bank's corrections delete or replace. */
  removals: string[];
  duplicates: number;
  sumAdded: string;
  statementBalance: { amount: string; date: string | null; available: string | null } | null;
  balanceBefore: string;
};

export type Plan = {
  accounts: PlanAccount[];
  /** How many rows the job writes (its progress total). */
  total: number;
  duplicates: number;
  failed: number;
  failures: RowIssue[];
  skipped: { index: number; label: string; reason: string }[];
};

export function makePlan(analysis: Analysis, created: ReadonlySet<string>): Plan {
  const accounts: PlanAccount[] = [];
  const skipped: Plan['skipped'] = [];
  for (const a of analysis.accounts) {
    if (a.target.kind !== 'account') {
      skipped.push({ index: a.index, label: describeAccount(a.source), reason: a.target.kind === 'skip' ? a.target.reason : 'no account chosen' });
      continue;
    }
    const account = a.target.account;
    const lines: number[] = [];
    const removals: string[] = [];
    const amounts: string[] = [];
    for (const { t, row } of a.entries) {
      if (t.correction) removals.push(t.correction.fitId);
      if (t.correction?.action === 'delete' || a.duplicates.has(t.line)) continue;
      lines.push(t.line);
      amounts.push(row.amount);
    }
    const src = a.source;
    accounts.push({
      index: a.index,
      accountId: account.id,
      name: account.name,
      created: created.has(account.id),
      liability: account.classification === 'liability',
      importFed: account.source === 'import',
      lines,
      removals,
      duplicates: a.duplicates.size,
      sumAdded: sumDecimals(amounts),
      statementBalance: src.balance
        ? { amount: src.balance.amount, date: src.balance.date ?? src.period?.end ?? null, available: src.availableBalance?.amount ?? null }
        : null,
      balanceBefore: account.balance,
    });
  }
  return {
    accounts,
    total: accounts.reduce((n, a) => n + a.lines.length, 0),
    duplicates: accounts.reduce((n, a) => n + a.duplicates, 0),
    failed: analysis.failures.length,
    failures: analysis.failures.slice(0, MAX_ISSUES),
    skipped,
  };
}
