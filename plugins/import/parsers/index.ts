// Statement parsers: pure functions from file bytes to normalized accounts and transactions.
export { parseStatement, investmentRefusal, type ParseOptions } from './statement.ts';
export { detectFormat, type Detected } from './detect.ts';
export { decodeStatement, decodeWarnings, type Decoded, type DecodeOptions } from './decode.ts';
export { parseOfx } from './ofx.ts';
export { parseQif, type QifOptions } from './qif.ts';
export { parseCsv, previewCsv, sampleCsv, type CsvMapping, type CsvPreview, type CsvRow, type CsvSample, type ColumnRef } from './csv.ts';
export { suggestMapping, type MappingSuggestion } from './csv-suggest.ts';
export { detectDelimiter, type CsvDelimiter } from './csv-sniff.ts';
export { parseAmount, addDecimal, negateDecimal, sumDecimals } from './amounts.ts';
export { DATE_FORMATS, parseDateWithFormat, parseOfxDate, parseQifDate, type DateFormat } from './dates.ts';
export { StatementError, type StatementErrorCode } from './errors.ts';
export type * from './types.ts';
