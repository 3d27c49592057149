// A parsed statement held against the ledger: for each account in the file, its target, the rows
// the ledger can take, which of them are duplicates, and which lines cannot be imported and why.
// The preview summarizes this; the job writes from it. Both call it the same way, so what the user
// confirmed is what gets written (against the ledger as it is when the job runs).
import type { ParsedStatement, RowIssue, StatementAccount, StatementTransaction } from '../parsers/index.ts';
import type { LedgerAccount } from '../ledger/services.ts';
import type { CategoryMatch } from './categories.ts';
import { findDuplicates, type Duplicate, type ExistingRow } from './dedupe.ts';
import { addDays } from './keys.ts';
import { toLedgerRow, type LedgerRow } from './ledger-row.ts';
import { existingForCreate, refusalOf, type NewAccount, type TargetChoice } from './targets.ts';
import { SOURCE } from '../ledger/services.ts';

export type Resolved =
  | { kind: 'account'; account: LedgerAccount }
  | { kind: 'new'; create: NewAccount }
  | { kind: 'skip'; reason: string };

/** A row the ledger can take; `category`: what its file category (QIF L) matched, if it names one. */
export type Entry = { t: StatementTransaction; row: LedgerRow; category?: CategoryMatch };

export type AccountAnalysis = {
  index: number;
  source: StatementAccount;
  target: Resolved;
  /** Rows the ledger can take, in file order (duplicates included; see `duplicates`). */
  entries: Entry[];
  duplicates: Map<number, Duplicate>;
};

export type Analysis = { statement: ParsedStatement; accounts: AccountAnalysis[]; failures: RowIssue[] };

export type AnalyseDeps = {
  ledgerAccounts: LedgerAccount[];
  existing(accountId: string, range: { from: string; to: string }, externalIds: string[]): Promise<ExistingRow[]>;
  toleranceDays: number;
  forced: ReadonlySet<number>;
  /** Matches a file's category to the household's (plan/categories.ts); absent: categories are not read. */
  category?: (value: string | undefined) => CategoryMatch | null;
};

function resolve(acc: StatementAccount, choice: TargetChoice | undefined, ledgerAccounts: LedgerAccount[]): Resolved {
  const refusal = refusalOf(acc);
  if (refusal) return { kind: 'skip', reason: refusal };
  if (!choice || 'skip' in choice) return { kind: 'skip', reason: 'not imported: you chose to skip this account' };
  if ('create' in choice) {
    const known = existingForCreate(choice.create, ledgerAccounts);
    return known ? { kind: 'account', account: known } : { kind: 'new', create: choice.create };
  }
  const account = ledgerAccounts.find((a) => a.id === choice.accountId);
  if (!account) return { kind: 'skip', reason: 'the chosen account no longer exists or is closed: choose another' };
  return { kind: 'account', account };
}

function dateRange(entries: Entry[], tolerance: number): { from: string; to: string } | undefined {
  if (!entries.length) return undefined;
  let from = entries[0].row.date, to = from;
  for (const { row } of entries) {
    if (row.date < from) from = row.date;
    if (row.date > to) to = row.date;
  }
  return { from: addDays(from, -tolerance), to: addDays(to, tolerance) };
}

export async function analyse(statement: ParsedStatement, targets: TargetChoice[], deps: AnalyseDeps): Promise<Analysis> {
  const failures: RowIssue[] = [...statement.rowErrors];
  const accounts: AccountAnalysis[] = [];
  for (const [index, acc] of statement.accounts.entries()) {
    const target = resolve(acc, targets.find((t) => t.index === index), deps.ledgerAccounts);
    const analysis: AccountAnalysis = { index, source: acc, target, entries: [], duplicates: new Map() };
    accounts.push(analysis);
    if (target.kind === 'skip') continue;
    const accountId = target.kind === 'account' ? target.account.id : '';
    const currency = target.kind === 'account' ? target.account.currency : target.create.currency;
    for (const t of acc.transactions) {
      const category = deps.category?.(t.category) ?? undefined;
      const r = toLedgerRow(t, accountId, currency, category?.kind === 'matched' ? category.categoryId : undefined);
      if ('failure' in r) failures.push({ line: t.line, reason: r.failure });
      else analysis.entries.push(category ? { t, row: r.row, category } : { t, row: r.row });
    }
    const range = dateRange(analysis.entries, deps.toleranceDays);
    const existing = target.kind === 'account' && range
      ? await deps.existing(accountId, range, analysis.entries.map((e) => e.row.externalId))
      : [];
    const fileRows = analysis.entries.map(({ t, row }) => ({ line: t.line, date: row.date, amount: row.amount, payee: t.payee, memo: t.memo, externalId: row.externalId }));
    analysis.duplicates = findDuplicates(fileRows, existing, { source: SOURCE, toleranceDays: deps.toleranceDays, forced: deps.forced });
  }
  failures.sort((a, b) => a.line - b.line);
  return { statement, accounts, failures };
}
