// CSV statements: the user (helped by suggestMapping) says which column holds what; we read the
// table with csv-parse (RFC 4180: quoted delimiters and newlines, doubled quotes) and turn each
// record into a transaction or a row error naming its line. csv-parse is used rather than a
// hand-written splitter: it is the most used and best maintained Node CSV parser, handles the
// quoting corner cases, and reports line numbers; we call it synchronously with an on_record hook
// so rows are converted as they are read (100k rows parse in well under a second, see bench/).

import { parse as parseCsvText } from 'csv-parse/sync';
import { addDecimal, absDecimal, negateDecimal, parseAmount, type DecimalSeparator } from './amounts.ts';
import { dateFormatProblem, parseDateWithFormat } from './dates.ts';
import { decodeStatement } from './decode.ts';
import { StatementError } from './errors.ts';
import { derivedExternalId, OccurrenceCounter } from './ids.ts';
import { detectDelimiter, detectPreamble, type CsvDelimiter } from './csv-sniff.ts';
import type { ParsedStatement, RowIssue, StatementTransaction } from './types.ts';

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

export interface CsvReadOptions {
  /** Identifies the target account in derived ids (the importer passes its account id). */
  accountKey?: string;
}

interface Layout { text: string; encoding: string; delimiter: CsvDelimiter; skipLines: number; warnings: RowIssue[] }

export function csvLayout(input: Uint8Array | string, mapping: Pick<CsvMapping, 'encoding' | 'delimiter' | 'skipLines'>): Layout {
  const warnings: RowIssue[] = [];
  let text: string, encoding: string;
  if (typeof input === 'string') { text = input.replace(/^\uFEFF/, ''); encoding = 'text'; }
  else {
    const decoded = decodeStatement(input, { encoding: mapping.encoding });
    text = decoded.text; encoding = decoded.encoding;
    if (decoded.warning) warnings.push({ line: 1, reason: decoded.warning });
  }
  if (text.trim() === '') throw new StatementError('empty', 'the file is empty');
  const delimiter = mapping.delimiter === 'auto' || !mapping.delimiter ? detectDelimiter(text) : mapping.delimiter;
  const skipLines = mapping.skipLines === 'auto' || mapping.skipLines === undefined ? detectPreamble(text, delimiter) : mapping.skipLines;
  return { text, encoding, delimiter, skipLines, warnings };
}

const STOP = Symbol('stop');

/**
 * Calls `visit` for each non-blank record with its fields and the line it starts on. `visit` may
 * return false to stop early. A broken quote ends the whole file with a precise error.
 * Lines are counted here from csv-parse's byte offsets: its own line counter counts a CRLF inside
 * a quoted field as two lines, which would shift every later row's line number.
 */
export function walkCsv(layout: Layout, visit: (fields: string[], line: number) => boolean | void): void {
  const buf = Buffer.from(layout.text, 'utf8');
  let scanPos = 0, scanLine = 1;
  const lineAt = (offset: number): number => {
    for (; scanPos < offset && scanPos < buf.length; scanPos++) {
      const c = buf[scanPos];
      if (c === 10 || (c === 13 && buf[scanPos + 1] !== 10)) scanLine++;
    }
    return scanLine;
  };
  let recordStart = 0;
  while (scanLine <= layout.skipLines && scanPos < buf.length) lineAt(scanPos + 1);
  recordStart = scanPos;
  try {
    parseCsvText(buf, {
      delimiter: layout.delimiter,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
      from_line: layout.skipLines + 1,
      on_record: (record: string[], context: { bytes: number }) => {
        const line = lineAt(recordStart);
        recordStart = context.bytes;
        if (record.every((f) => f.trim() === '')) return null;
        if (visit(record, line) === false) throw STOP;
        return null;
      },
    });
  } catch (e) {
    if (e === STOP) return;
    if (e instanceof StatementError) throw e;
    const err = e as { code?: string; message?: string };
    const line = lineAt(recordStart);
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new StatementError('malformed', `a quoted field in this record is never closed (the file ends at line ${lineAt(buf.length) - (buf[buf.length - 1] === 10 || buf[buf.length - 1] === 13 ? 1 : 0)})`, { line });
    }
    throw new StatementError('malformed', `the CSV cannot be read: ${err.message ?? String(e)}`, { line });
  }
}

interface Columns {
  date: number; amount?: number; debit?: number; credit?: number; payee?: number; memo?: number;
  check?: number; id?: number; names: string[];
}

function resolveColumns(mapping: CsvMapping, header: string[] | undefined, width: number): Columns {
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

/** Turns records into transactions; shared by parseCsv (whole file) and previewCsv (first rows). */
function convertRows(layout: Layout, mapping: CsvMapping, options: CsvReadOptions, limit: number, onRow: (row: CsvRow) => void): string[] | undefined {
  validateMapping(mapping);
  let header: string[] | undefined;
  let cols: Columns | undefined;
  let seen = 0;
  const counter = new OccurrenceCounter();
  const account = options.accountKey ?? '';
  walkCsv(layout, (fields, line) => {
    if (mapping.hasHeader && !header) { header = fields.map((f) => f.trim()); cols = resolveColumns(mapping, header, header.length); return; }
    cols ??= resolveColumns(mapping, undefined, fields.length);
    onRow(convertRow(fields, line, cols, mapping, counter, account));
    return ++seen < limit;
  });
  return header;
}

function convertRow(fields: string[], line: number, cols: Columns, mapping: CsvMapping, counter: OccurrenceCounter, account: string): CsvRow {
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
    else problems.push(d.reason.startsWith('does not match') ? `date '${rawDate}' ${d.reason}` : `date '${rawDate}' is not a valid date (${d.reason})`);
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

/** The whole file as a statement: one cash account (the importer says which), row errors kept. */
export function parseCsv(input: Uint8Array | string, mapping: CsvMapping, options: CsvReadOptions = {}): ParsedStatement {
  const layout = csvLayout(input, mapping);
  const transactions: StatementTransaction[] = [];
  const rowErrors: RowIssue[] = [];
  convertRows(layout, mapping, options, Infinity, (row) => {
    if (row.transaction) transactions.push(row.transaction);
    else rowErrors.push({ line: row.line, reason: row.error! });
  });
  return {
    format: 'csv', encoding: layout.encoding,
    accounts: [{ kind: 'cash', type: 'unknown', transactions }],
    rowErrors, warnings: layout.warnings,
  };
}

export interface CsvPreview {
  encoding: string;
  delimiter: CsvDelimiter;
  skipLines: number;
  headers?: string[];
  /** The first n data rows, each with its transaction or the reason it cannot be read. */
  rows: CsvRow[];
  warnings: RowIssue[];
}

export function previewCsv(input: Uint8Array | string, mapping: CsvMapping, n = 20, options: CsvReadOptions = {}): CsvPreview {
  const layout = csvLayout(input, mapping);
  const rows: CsvRow[] = [];
  const headers = convertRows(layout, mapping, options, n, (row) => rows.push(row));
  return { encoding: layout.encoding, delimiter: layout.delimiter, skipLines: layout.skipLines, headers, rows, warnings: layout.warnings };
}

export interface CsvSample {
  encoding: string;
  delimiter: CsvDelimiter;
  skipLines: number;
  /** The first record (the header when there is one; suggestMapping decides). */
  headers: string[];
  sampleRows: string[][];
  warnings: RowIssue[];
}

/** The first records of a file before any mapping exists, to feed suggestMapping and the UI. */
export function sampleCsv(input: Uint8Array | string, options: Partial<Pick<CsvMapping, 'encoding' | 'delimiter' | 'skipLines'>> = {}, n = 50): CsvSample {
  const layout = csvLayout(input, { encoding: options.encoding ?? 'auto', delimiter: options.delimiter ?? 'auto', skipLines: options.skipLines });
  const records: string[][] = [];
  walkCsv(layout, (fields) => { records.push(fields.map((f) => f.trim())); return records.length < n + 1; });
  return {
    encoding: layout.encoding, delimiter: layout.delimiter, skipLines: layout.skipLines,
    headers: records[0] ?? [], sampleRows: records.slice(1), warnings: layout.warnings,
  };
}
