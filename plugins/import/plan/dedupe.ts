// Which rows of a statement are already in the ledger account they go to. Pure: rows in, verdicts out.
//
// 1. By id: a row whose external id (FITID, the bank's id column, or the derived hash) is already
//    the id of one of this source's rows in the account is the same transaction: re-importing a
//    file, or an overlapping statement, adds nothing. A second row with the same id in one file is
//    a repeat (the ledger would keep one).
// 2. By similarity, against the account's rows from any source (Plaid, manual entry, an import of
//    another format): same exact amount, dates at most `toleranceDays` apart, similar payee. Each
//    existing row absorbs at most one file row, the nearest in date, so two identical coffees in
//    the file against one in the ledger leave one to add. The user may import such a row anyway
//    (`forced`); an id duplicate cannot be forced, it is the same row.
import { canonicalAmount, dayNumber } from './keys.ts';
import { payeeKey, similarPayees, type PayeeKey } from './payee-match.ts';

export type FileRow = { line: number; date: string; amount: string; payee?: string; memo?: string; externalId: string };

export type ExistingRow = {
  id: string; source: string; externalId: string | null; date: string; amount: string;
  payee: string | null; description: string | null;
};

export type MatchedRow = { id: string; date: string; amount: string; payee: string | null };

export type Duplicate =
  | { line: number; by: 'id'; existing: MatchedRow }
  | { line: number; by: 'similar'; existing: MatchedRow }
  | { line: number; by: 'file'; firstLine: number };

export type DedupeOptions = { source: string; toleranceDays: number; forced?: ReadonlySet<number> };

// Payee keys are computed only for rows that already match on amount and date (most never do).
type Pooled = { row: ExistingRow; day: number; keys?: { payee: PayeeKey | null; description: PayeeKey | null }; used: boolean };

const keysOf = (p: Pooled) => (p.keys ??= { payee: payeeKey(p.row.payee), description: payeeKey(p.row.description) });

const matched = (r: ExistingRow): MatchedRow => ({ id: r.id, date: r.date, amount: r.amount, payee: r.payee ?? r.description });

/** Either side without any payee text fits (amount and date decide); else one of payee/description must be similar. */
function payeeFits(key: PayeeKey | null, p: Pooled): boolean {
  const { payee, description } = keysOf(p);
  if (!key || (!payee && !description)) return true;
  return (payee !== null && similarPayees(key, payee)) || (description !== null && similarPayees(key, description));
}

export function findDuplicates(rows: readonly FileRow[], existing: readonly ExistingRow[], opts: DedupeOptions): Map<number, Duplicate> {
  const out = new Map<number, Duplicate>();
  const byId = new Map<string, ExistingRow>();
  for (const e of existing) if (e.source === opts.source && e.externalId !== null) byId.set(e.externalId, e);

  const idTaken = new Set<string>();
  const firstLineOfId = new Map<string, number>();
  const remaining: FileRow[] = [];
  for (const r of rows) {
    const first = firstLineOfId.get(r.externalId);
    if (first !== undefined) { out.set(r.line, { line: r.line, by: 'file', firstLine: first }); continue; }
    firstLineOfId.set(r.externalId, r.line);
    const same = byId.get(r.externalId);
    if (same) { out.set(r.line, { line: r.line, by: 'id', existing: matched(same) }); idTaken.add(same.id); continue; }
    if (!opts.forced?.has(r.line)) remaining.push(r);
  }
  if (!remaining.length) return out;

  // Existing rows not already claimed by id, by exact amount.
  const pool = new Map<string, Pooled[]>();
  for (const e of existing) {
    if (idTaken.has(e.id)) continue;
    const key = canonicalAmount(e.amount);
    let list = pool.get(key);
    if (!list) pool.set(key, (list = []));
    list.push({ row: e, day: dayNumber(e.date), used: false });
  }
  for (const r of remaining) {
    const list = pool.get(canonicalAmount(r.amount));
    if (!list) continue;
    const day = dayNumber(r.date);
    let key: PayeeKey | null | undefined;
    let best: Pooled | undefined;
    for (const p of list) {
      if (p.used) continue;
      const distance = Math.abs(p.day - day);
      if (distance > opts.toleranceDays) continue;
      if (key === undefined) key = payeeKey(r.payee ?? r.memo);
      if (!payeeFits(key, p)) continue;
      if (!best || distance < Math.abs(best.day - day)) best = p;
    }
    if (best) {
      best.used = true;
      out.set(r.line, { line: r.line, by: 'similar', existing: matched(best.row) });
    }
  }
  return out;
}
