// A file that cannot be read at all. Carries the line (and OFX element) at fault so the UI can say
// exactly where; the message already starts with "line N: " when a line is known.

export type StatementErrorCode =
  | 'unknown-format'   // not OFX/QFX/QIF/CSV
  | 'bad-encoding'     // the bytes cannot be decoded with the requested/declared encoding
  | 'malformed'        // structure broken: unclosed aggregate, stray closing tag, bad header...
  | 'no-accounts'      // well-formed but holds no statement
  | 'csv-mapping'      // the CSV mapping does not fit the file (unknown column...)
  | 'empty';           // nothing in the file

export class StatementError extends Error {
  readonly code: StatementErrorCode;
  readonly line: number | undefined;
  readonly element: string | undefined;

  constructor(code: StatementErrorCode, message: string, where: { line?: number; element?: string } = {}) {
    super(where.line !== undefined ? `line ${where.line}: ${message}` : message);
    this.name = 'StatementError';
    this.code = code;
    this.line = where.line;
    this.element = where.element;
  }
}
