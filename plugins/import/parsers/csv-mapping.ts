// The CSV mapping (which column is what) and the conversion of one record into a transaction or a
// row error. Column references are resolved once, against the header, before any row is read.

import { addDecimal, absDecimal, negateDecimal, parseAmount, type DecimalSeparator } from './amounts.ts';
import { dateFormatProblem, parseDateWithFormat } from './dates.ts';
import { StatementError } from './errors.ts';
import { derivedExternalId, type OccurrenceCounter } from './ids.ts';
import type { CsvDelimiter } from './csv-sniff.ts';
import type { StatementTransaction } from './types.ts';

/** A column by 0-based index, or by its header text (case-insensitive) when the file has a header. */
export type ColumnRef = number | string;

export interface CsvMapping {
  dateColumn: ColumnRef;
  /** One of DATE_FORMATS ('YYYY-MM-DD', 'MM/DD/YYYY', 'DD.MM.YYYY'...) or a custom one of the same tokens. */
  dateFormat: string;
  /** Signed amounts in one column... */
  amountColumn?: ColumnRef;
  /** ...or money out and money in in two columns (either may hold the sign or not: out is always negative). */
  debitColumn?: ColumnRef;
  creditColumn?: ColumnRef;
  payeeColumn?: ColumnRef;
  memoColumn?: ColumnRef;
  checkNumberColumn?: ColumnRef;
  /** A bank-provided transaction id column, used as the external id when present. */
  idColumn?: ColumnRef;
  decimalSeparator: DecimalSeparator;
  /** 'invert' for exports (often credit cards) that show purchases as positive. */
  sign: 'as-is' | 'invert';
  hasHeader: boolean;
  delimiter: CsvDelimiter | 'auto';
  /** 'auto' or a WHATWG label: 'utf-8', 'windows-1252', 'utf-16le'... */
  encoding: string;
  /** Lines above the table (or above the header) to ignore; 'auto' detects a preamble. */
  skipLines?: number | 'auto';
}

export interface CsvRow {
  line: number;
  fields: string[];
  transaction?: StatementTransaction;
  error?: string;
}

export interface Columns {
  date: number; amount?: number; debit?: number; credit?: number; payee?: number; memo?: number;
  check?: number; id?: number; names: string[];
}

export function resolveColumns(mapping: CsvMapping, header: string[] | undefined, width: number): Columns {
  const names = header ?? Array.from({ length: width }, (_, i) => `column ${i + 1}`);
  const lower = header?.map((h) => h.trim().toLowerCase());
  const resolve = (ref: ColumnRef | undefined, role: string): number | undefined => {
    if (ref === undefined || ref === '') return undefined;
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0) throw new StatementError('csv-mapping', `${role} column ${ref} is not a column number`);
      if (header && ref >= header.length) throw new StatementError('csv-mapping', `${role} column ${ref + 1} does not exist: the header has ${header.length} columns`);
      return ref;
    }
    if (!lower) throw new StatementError('csv-mapping', `${role} column '${ref}' is named, but the mapping says the file has no header row`);
    const i = lower.indexOf(ref.trim().toLowerCase());
    if (i < 0) throw new StatementError('csv-mapping', `${role} column '${ref}' is not in the header (columns: ${header!.join(', ')})`);
    return i;
  };
  const cols: Columns = {
    date: resolve(mapping.dateColumn, 'date')!,
    amount: resolve(mapping.amountColumn, 'amount'),
    debit: resolve(mapping.debitColumn, 'debit'),
    credit: resolve(mapping.creditColumn, 'credit'),
    payee: resolve(mapping.payeeColumn, 'payee'),
    memo: resolve(mapping.memoColumn, 'memo'),
    check: resolve(mapping.checkNumberColumn, 'check number'),
    id: resolve(mapping.idColumn, 'id'),
    names,
  };
  if (cols.date === undefined) throw new StatementError('csv-mapping', 'the mapping needs a date column');
  if (cols.amount === undefined && cols.debit === undefined && cols.credit === undefined) {
    throw new StatementError('csv-mapping', 'the mapping needs an amount column, or debit and credit columns');
  }
  if (cols.amount !== undefined && (cols.debit !== undefined || cols.credit !== undefined)) {
    throw new StatementError('csv-mapping', 'the mapping has both an amount column and debit/credit columns; choose one');
  }
  return cols;
}

export function validateMapping(mapping: CsvMapping): void {
  const problem = dateFormatProblem(mapping.dateFormat ?? '');
  if (problem) throw new StatementError('csv-mapping', problem);
  if (mapping.decimalSeparator !== '.' && mapping.decimalSeparator !== ',') {
    throw new StatementError('csv-mapping', `decimal separator must be '.' or ','`);
  }
  if (mapping.sign !== 'as-is' && mapping.sign !== 'invert') throw new StatementError('csv-mapping', `sign must be 'as-is' or 'invert'`);
}

/** One record -> a transaction, or the reasons it cannot be one (a row error, not a failure). */
export function convertRow(fields: string[], line: number, cols: Columns, mapping: CsvMapping, counter: OccurrenceCounter, account: string): CsvRow {
  const problems: string[] = [];
  const cell = (i: number | undefined) => (i === undefined ? undefined : fields[i]?.trim().replace(/\r\n?/g, '\n'));
  const required = (i: number, role: string): string | undefined => {
    if (i >= fields.length) { problems.push(`the row has ${fields.length} field${fields.length === 1 ? '' : 's'}, so no ${role} (column ${i + 1}, '${cols.names[i] ?? ''}')`); return undefined; }
    return fields[i].trim();
  };
  const rawDate = required(cols.date, 'date');
  let date: string | undefined;
  if (rawDate !== undefined) {
    const d = parseDateWithFormat(rawDate, mapping.dateFormat);
    if (d.ok) date = d.value;
    else if (rawDate === '') problems.push('the date is empty');
    else {
      const shown = rawDate.length > 40 ? `${rawDate.slice(0, 40)}…` : rawDate;
      problems.push(d.reason.startsWith('does not match') ? `date '${shown}' ${d.reason}` : `date '${shown}' is not a valid date (${d.reason})`);
    }
  }
  const money = (raw: string | undefined, role: string): string | undefined => {
    if (raw === undefined || raw === '') return undefined;
    const a = parseAmount(raw, { decimalSeparator: mapping.decimalSeparator, lenient: true });
    if (a.ok) return a.value;
    problems.push(`${role} ${a.reason}`);
    return undefined;
  };
  let amount: string | undefined;
  if (cols.amount !== undefined) {
    const raw = required(cols.amount, 'amount');
    amount = money(raw, 'amount');
    if (raw === '') problems.push('the amount is empty');
  } else {
    const debitRaw = cell(cols.debit), creditRaw = cell(cols.credit);
    const debit = money(debitRaw, 'debit'), credit = money(creditRaw, 'credit');
    // Money out is negative whatever sign the bank wrote in its debit column, money in positive.
    const out = debit !== undefined ? negateDecimal(absDecimal(debit)) : undefined;
    const into = credit !== undefined ? absDecimal(credit) : undefined;
    amount = out !== undefined && into !== undefined ? addDecimal(into, out) : out ?? into;
    if (!debitRaw && !creditRaw) problems.push('both the debit and the credit column are empty');
  }
  if (problems.length || !date || amount === undefined) return { line, fields, error: problems.join('; ') };
  if (mapping.sign === 'invert') amount = negateDecimal(amount);
  const payee = cell(cols.payee) || undefined;
  const id = cell(cols.id) || undefined;
  const transaction: StatementTransaction = {
    line, date, amount,
    externalId: id ?? derivedExternalId(counter, { account, date, amount, payee }),
    externalIdSource: id ? 'column' : 'derived',
  };
  if (payee) transaction.payee = payee;
  const memo = cell(cols.memo);
  if (memo) transaction.memo = memo;
  const check = cell(cols.check);
  if (check) transaction.checkNumber = check;
  return { line, fields, transaction };
}
