// The transactions list as a CSV file, for a spreadsheet: the page's filters, newest first, every
// matching row. Built in memory and sent as one response (as a sandboxed plugin's answer must be),
// so a file is capped at EXPORT_LIMIT rows; beyond it the user is asked to export in parts.
import { stringify } from 'csv-stringify/sync';
import { HttpError, type PluginContext } from '../../../plugin-sdk/index.ts';
import type { TransactionListQueryT, TransactionT } from '../schemas/transactions.ts';
import * as ledger from '../service/index.ts';

export const EXPORT_LIMIT = 100_000;

const HEADER = ['Date', 'Account', 'Payee', 'Description', 'Notes', 'Category', 'Amount', 'Currency', 'Pending', 'Tags', 'Excluded', 'Transfer', 'Id'];

// A spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a formula: a payee from a
// bank or a file could carry one. Text cells that do get a leading apostrophe; amounts stay numbers.
const text = (v: string | null) => (v === null ? '' : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

const row = (t: TransactionT) => [
  t.date, text(t.accountName), text(t.payee), text(t.description), text(t.notes), text(t.categoryName), t.amount, t.currency,
  t.pending ? 'yes' : 'no', text(t.tags.join(', ')), t.excluded ? 'yes' : 'no', t.isTransfer ? 'yes' : 'no', t.id,
];

/** The CSV text (with a byte-order mark, so Excel reads it as UTF-8) of every transaction `filters` match. */
export async function transactionsCsv(ctx: PluginContext, filters: URLSearchParams, limit = EXPORT_LIMIT): Promise<string> {
  const rows: (string | null)[][] = [];
  let cursor: string | undefined;
  do {
    const query = { ...Object.fromEntries(filters), limit: 500, ...(cursor ? { cursor } : {}) } as TransactionListQueryT;
    const page = await ctx.db.tx((tx) => ledger.listTransactions(tx, query));
    rows.push(...page.items.map(row));
    if (rows.length > limit) {
      throw new HttpError(422, `More than ${limit.toLocaleString('en')} transactions match: narrow the dates (or other filters) and export in parts.`);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return `\uFEFF${stringify([HEADER, ...rows], { record_delimiter: 'windows' })}`;
}
