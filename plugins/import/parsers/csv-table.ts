// Reading a CSV table: decoding, delimiter and preamble detection, then records with the line each
// starts on. csv-parse does the RFC 4180 work (quoted delimiters and newlines, doubled quotes).

import { parse as parseCsvText } from 'csv-parse/sync';
import { decodeStatement, decodeWarnings } from './decode.ts';
import { StatementError } from './errors.ts';
import { detectDelimiter, detectPreamble, type CsvDelimiter } from './csv-sniff.ts';
import type { CsvMapping } from './csv-mapping.ts';
import type { RowIssue } from './types.ts';

export interface Layout { text: string; encoding: string; delimiter: CsvDelimiter; skipLines: number; warnings: RowIssue[] }

export function csvLayout(input: Uint8Array | string, mapping: Pick<CsvMapping, 'encoding' | 'delimiter' | 'skipLines'>): Layout {
  const warnings: RowIssue[] = [];
  let text: string, encoding: string;
  if (typeof input === 'string') { text = input.replace(/^\uFEFF/, ''); encoding = 'text'; }
  else {
    const decoded = decodeStatement(input, { encoding: mapping.encoding });
    text = decoded.text; encoding = decoded.encoding;
    warnings.push(...decodeWarnings(decoded));
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

