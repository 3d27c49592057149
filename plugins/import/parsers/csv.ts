// CSV statements: the user (helped by suggestMapping) says which column holds what; each record
// becomes a transaction or a row error naming its line. csv-parse (csv-table.ts) is used rather
// than a hand-written splitter: it is the most used and best maintained Node CSV parser and handles
// the quoting corner cases; rows are converted as they are read, in one synchronous pass
// (100k rows in about a second on the 2-core machine: `node bench/import-parse.ts`).

import { OccurrenceCounter } from './ids.ts';
import { convertRow, resolveColumns, validateMapping, type Columns, type CsvMapping, type CsvRow } from './csv-mapping.ts';
import type { CsvDelimiter } from './csv-sniff.ts';
import { csvLayout, walkCsv, type Layout } from './csv-table.ts';
import type { ParsedStatement, RowIssue, StatementTransaction } from './types.ts';

export type { ColumnRef, CsvMapping, CsvRow } from './csv-mapping.ts';

export interface CsvReadOptions {
  /** Identifies the target account in derived ids (the importer passes its account id). */
  accountKey?: string;
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
