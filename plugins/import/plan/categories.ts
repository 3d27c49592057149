// The categories a file names (QIF `L` lines), matched by name to the household's own ledger
// categories. Nothing is created: a name the household does not have leaves its rows uncategorized,
// and the preview lists it so the user can create the category first. A matched category is the
// source's suggestion, set when the row is first inserted (the ledger's `categoryId`, category_source
// 'provider'): rules and the user may change it, and no later delivery does.
//
// QIF writes `Category`, `Group:Category` or `[Account]` (a transfer to another account), each
// possibly followed by `/Class` (a Quicken class, not a category: ignored). `--Split--` marks a
// split transaction, whose parts (S lines) are not read: no category.
import type { LedgerCategory } from '../ledger/services.ts';
import type { StatementAccount } from '../parsers/index.ts';

export type FileCategory =
  | { kind: 'category'; written: string; group?: string; name: string }
  | { kind: 'transfer'; account: string };

export type CategoryMatch =
  | { kind: 'matched'; categoryId: string }
  | { kind: 'unknown'; written: string }
  | { kind: 'ambiguous'; written: string; candidates: string[] }
  | { kind: 'transfer'; account: string };

/** Reads a QIF `L` value; null when it names no category (empty, a split, a bare class). */
export function readFileCategory(value: string | undefined): FileCategory | null {
  if (!value) return null;
  const slash = value.indexOf('/');
  const main = (slash === -1 ? value : value.slice(0, slash)).trim();
  if (!main || /^-+split-+$/i.test(main)) return null;
  const transfer = /^\[(.*)\]$/.exec(main);
  if (transfer) {
    const account = transfer[1].trim();
    return account ? { kind: 'transfer', account } : null;
  }
  const colon = main.indexOf(':');
  if (colon === -1) return { kind: 'category', written: main, name: main };
  const group = main.slice(0, colon).trim();
  const name = main.slice(colon + 1).trim();
  if (!group || !name) return name || group ? { kind: 'category', written: name || group, name: name || group } : null;
  return { kind: 'category', written: `${group}:${name}`, group, name };
}

/** As the ledger compares names (its unique index is on lower(name)). */
const fold = (s: string) => s.normalize('NFC').toLowerCase();

/**
 * Matches `L` values to the household's categories, case-insensitively: `Group:Name` is the category
 * Name in the group Group; a bare `Name` is the one category or group of that name (two or more:
 * ambiguous, the row stays uncategorized).
 */
export function categoryResolver(categories: readonly LedgerCategory[]): (value: string | undefined) => CategoryMatch | null {
  const groups = new Map(categories.filter((c) => c.isGroup).map((g) => [g.id, g]));
  const byName = new Map<string, LedgerCategory[]>();
  const inGroup = new Map<string, LedgerCategory>();
  for (const c of categories) {
    const key = fold(c.name);
    byName.set(key, [...(byName.get(key) ?? []), c]);
    const group = c.parentId ? groups.get(c.parentId) : undefined;
    if (group) inGroup.set(`${fold(group.name)}\u0000${key}`, c);
  }
  const label = (c: LedgerCategory) => {
    const group = c.parentId ? groups.get(c.parentId) : undefined;
    return group ? `${group.name}:${c.name}` : c.name;
  };
  const seen = new Map<string, CategoryMatch | null>();
  const resolve = (value: string): CategoryMatch | null => {
    const file = readFileCategory(value);
    if (!file) return null;
    if (file.kind === 'transfer') return file;
    if (file.group !== undefined) {
      const hit = inGroup.get(`${fold(file.group)}\u0000${fold(file.name)}`);
      return hit ? { kind: 'matched', categoryId: hit.id } : { kind: 'unknown', written: file.written };
    }
    const hits = byName.get(fold(file.name)) ?? [];
    if (hits.length === 1) return { kind: 'matched', categoryId: hits[0].id };
    if (hits.length === 0) return { kind: 'unknown', written: file.written };
    return { kind: 'ambiguous', written: file.written, candidates: hits.map(label).sort((a, b) => a.localeCompare(b)) };
  };
  return (value) => {
    if (!value) return null;
    if (!seen.has(value)) seen.set(value, resolve(value));
    return seen.get(value)!;
  };
}

/** Whether any cash account of the statement names categories (so the household's are worth reading). */
export const namesCategories = (accounts: readonly StatementAccount[]) =>
  accounts.some((a) => a.kind === 'cash' && a.transactions.some((t) => t.category !== undefined));

export const MAX_CATEGORY_NAMES = 200;

/** What the preview says about the file's categories (only for files that name some). */
export type CategorySummary = {
  /** Rows to add that get the category the file names. */
  matched: number;
  /** Names the household has no category for: those rows stay uncategorized. */
  unknown: { name: string; rows: number; firstLine: number }[];
  /** Bare names that more than one category or group has: write them as Group:Category. */
  ambiguous: { name: string; rows: number; firstLine: number; candidates: string[] }[];
  /** Rows naming another account (`[Account]`): transfers, imported uncategorized. */
  transfers: number;
};

/** Sums the matches of the rows to add (in file order) into the preview's summary. */
export function summarizeCategories(rows: readonly { line: number; category: CategoryMatch | null | undefined }[]): CategorySummary {
  const out: CategorySummary = { matched: 0, unknown: [], ambiguous: [], transfers: 0 };
  const unknown = new Map<string, CategorySummary['unknown'][number]>();
  const ambiguous = new Map<string, CategorySummary['ambiguous'][number]>();
  for (const { line, category: c } of rows) {
    if (!c) continue;
    if (c.kind === 'matched') out.matched++;
    else if (c.kind === 'transfer') out.transfers++;
    else if (c.kind === 'unknown') {
      const key = fold(c.written);
      const u = unknown.get(key);
      if (u) u.rows++;
      else unknown.set(key, { name: c.written, rows: 1, firstLine: line });
    } else {
      const key = fold(c.written);
      const a = ambiguous.get(key);
      if (a) a.rows++;
      else ambiguous.set(key, { name: c.written, rows: 1, firstLine: line, candidates: c.candidates });
    }
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });
  out.unknown = [...unknown.values()].sort(byName).slice(0, MAX_CATEGORY_NAMES);
  out.ambiguous = [...ambiguous.values()].sort(byName).slice(0, MAX_CATEGORY_NAMES);
  return out;
}
