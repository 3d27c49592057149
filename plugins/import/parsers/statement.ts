// The one entry point the importer calls: bytes in, normalized statement out, whatever the format.
// CSV needs a mapping (see sampleCsv / suggestMapping / previewCsv); the others describe themselves.

import { parseCsv, type CsvMapping } from './csv.ts';
import { decodeStatement, decodeWarnings } from './decode.ts';
import { detectFormat } from './detect.ts';
import { StatementError } from './errors.ts';
import { parseOfx } from './ofx.ts';
import { parseQif, type QifOptions } from './qif.ts';
import type { ParsedStatement, StatementFormat } from './types.ts';

export interface ParseOptions {
  /** Used only to break ties in format detection ('.qfx', '.csv'). */
  filename?: string;
  /** 'auto' (default) or a WHATWG label; overrides BOMs and declared charsets. */
  encoding?: string;
  /** Forces a format instead of detecting it. */
  format?: StatementFormat;
  /** Required for CSV. Its own `encoding` is ignored in favour of `encoding` above when that is set. */
  csvMapping?: CsvMapping;
  qif?: Omit<QifOptions, 'accountKey'>;
  /** Identifies the target account in derived ids (formats without FITIDs). */
  accountKey?: string;
}

export function parseStatement(bytes: Uint8Array, options: ParseOptions = {}): ParsedStatement {
  const decoded = decodeStatement(bytes, { encoding: options.encoding ?? options.csvMapping?.encoding });
  const warnings = decodeWarnings(decoded);
  const format = options.format ?? detectFormat(decoded.text, options.filename).format;
  if (format === 'csv') {
    if (!options.csvMapping) {
      throw new StatementError('csv-mapping', 'this is a CSV file: choose which columns hold the date, amount and payee first');
    }
    const parsed = parseCsv(decoded.text, options.csvMapping, { accountKey: options.accountKey });
    return { ...parsed, encoding: decoded.encoding, warnings: [...warnings, ...parsed.warnings] };
  }
  if (format === 'qif') {
    const parsed = parseQif(decoded.text, { ...options.qif, accountKey: options.accountKey });
    return { format, encoding: decoded.encoding, ...parsed, warnings: [...warnings, ...parsed.warnings] };
  }
  const parsed = parseOfx(decoded.text);
  return {
    format, version: parsed.version, encoding: decoded.encoding,
    accounts: parsed.accounts, rowErrors: parsed.rowErrors, warnings: [...warnings, ...parsed.warnings],
  };
}

/**
 * For an importer that books cash transactions only: undefined when the statement has none but
 * cash accounts, else the message to show instead of importing (never read trades as cash). It
 * names no other place to import into: the ledger keeps no holdings, so none would take them.
 */
export function investmentRefusal(statement: ParsedStatement): string | undefined {
  const investment = statement.accounts.filter((a) => a.kind === 'investment');
  if (investment.length === 0) return undefined;
  const parts = investment.map((a) => {
    const inv = a.investment;
    const n = inv?.transactions.length ?? 0, p = inv?.positions.length ?? 0;
    return `${a.accountId ?? a.name ?? 'an account'} (${n} investment transaction${n === 1 ? '' : 's'}, ${p} position${p === 1 ? '' : 's'})`;
  });
  return `This is an investment statement for ${parts.join(', ')}. Trades and holdings are not cash transactions, and only bank, credit card and loan statements can be imported: it cannot be imported into any account.`;
}
