// What the user sees before confirming, as plain data (stored with the import, sent by the API):
// per account in the file, where it goes and how many rows will be added or skipped as
// duplicates, with the first rows of each kind; the lines that cannot be imported, and why.
import type { RowIssue } from '../parsers/index.ts';
import type { Analysis, AccountAnalysis } from './analyse.ts';
import { namesCategories, summarizeCategories, type CategorySummary } from './categories.ts';
import type { Duplicate } from './dedupe.ts';
import { describeAccount, type NewAccount } from './targets.ts';

export const SAMPLE_ROWS = 50;
export const MAX_ISSUES = 1000;

export type PreviewRow = { line: number; date: string; amount: string; currency: string; payee: string | null; memo: string | null };
export type DuplicateRow = PreviewRow & {
  by: Duplicate['by'];
  /** The ledger row it matches (by id or similarity). */
  existing?: { date: string; amount: string; payee: string | null };
  /** by 'file': the earlier line with the same id. */
  firstLine?: number;
};

export type PreviewTarget =
  | { kind: 'account'; accountId: string; name: string; currency: string }
  | { kind: 'new'; account: NewAccount }
  | { kind: 'skip'; reason: string };

export type PreviewAccount = {
  index: number;
  label: string;
  kind: 'cash' | 'investment';
  statementType: string;
  currency: string | null;
  balance: { amount: string; date: string | null } | null;
  period: { start: string | null; end: string | null } | null;
  target: PreviewTarget;
  rows: number;
  toAdd: number;
  duplicates: number;
  add: PreviewRow[];
  duplicateRows: DuplicateRow[];
};

export type Preview = {
  format: string;
  encoding: string;
  accounts: PreviewAccount[];
  totals: { rows: number; toAdd: number; duplicates: number; failed: number };
  failures: RowIssue[];
  warnings: RowIssue[];
  /** The categories the file names (QIF), over the rows to add; null when it names none. */
  categories: CategorySummary | null;
};

function previewRow(a: AccountAnalysis, i: number): PreviewRow {
  const { t, row } = a.entries[i];
  return { line: t.line, date: row.date, amount: row.amount, currency: row.currency, payee: row.payee ?? null, memo: row.description ?? null };
}

function duplicateRow(base: PreviewRow, d: Duplicate): DuplicateRow {
  if (d.by === 'file') return { ...base, by: 'file', firstLine: d.firstLine };
  return { ...base, by: d.by, existing: { date: d.existing.date, amount: d.existing.amount, payee: d.existing.payee } };
}

function target(a: AccountAnalysis): PreviewTarget {
  const t = a.target;
  if (t.kind === 'account') return { kind: 'account', accountId: t.account.id, name: t.account.name, currency: t.account.currency };
  if (t.kind === 'new') return { kind: 'new', account: t.create };
  return { kind: 'skip', reason: t.reason };
}

/** Over the rows that will be added: a duplicate's category does not matter, it is not written. */
function categorySummary(analysis: Analysis): CategorySummary {
  const rows = analysis.accounts.flatMap((a) => (a.target.kind === 'skip' ? [] : a.entries
    .filter((e) => !a.duplicates.has(e.t.line))
    .map((e) => ({ line: e.t.line, category: e.category }))));
  return summarizeCategories(rows.sort((a, b) => a.line - b.line));
}

export function summarize(analysis: Analysis): Preview {
  const accounts = analysis.accounts.map((a): PreviewAccount => {
    const add: PreviewRow[] = [];
    const duplicateRows: DuplicateRow[] = [];
    a.entries.forEach((e, i) => {
      const d = a.duplicates.get(e.t.line);
      if (d) { if (duplicateRows.length < SAMPLE_ROWS) duplicateRows.push(duplicateRow(previewRow(a, i), d)); }
      else if (add.length < SAMPLE_ROWS) add.push(previewRow(a, i));
    });
    const src = a.source;
    const rows = a.target.kind === 'skip' ? (src.investment?.transactions.length ?? src.transactions.length) : a.entries.length;
    return {
      index: a.index,
      label: describeAccount(src),
      kind: src.kind,
      statementType: src.rawType ?? src.type,
      currency: src.currency ?? null,
      balance: src.balance ? { amount: src.balance.amount, date: src.balance.date ?? null } : null,
      period: src.period ? { start: src.period.start ?? null, end: src.period.end ?? null } : null,
      target: target(a),
      rows,
      toAdd: a.target.kind === 'skip' ? 0 : a.entries.length - a.duplicates.size,
      duplicates: a.target.kind === 'skip' ? 0 : a.duplicates.size,
      add,
      duplicateRows,
    };
  });
  const sum = (f: (a: PreviewAccount) => number) => accounts.reduce((s, a) => s + f(a), 0);
  return {
    format: analysis.statement.format,
    encoding: analysis.statement.encoding,
    accounts,
    totals: { rows: sum((a) => (a.target.kind === 'skip' ? 0 : a.rows)), toAdd: sum((a) => a.toAdd), duplicates: sum((a) => a.duplicates), failed: analysis.failures.length },
    failures: analysis.failures.slice(0, MAX_ISSUES),
    warnings: analysis.statement.warnings.slice(0, MAX_ISSUES),
    categories: namesCategories(analysis.statement.accounts) ? categorySummary(analysis) : null,
  };
}
