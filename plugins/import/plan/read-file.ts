// The stored file read as a statement, the same way at preview and in the job. A CSV needs its
// mapping first; anything unreadable throws the parser's StatementError, which names the line.
import { parseStatement, type CsvMapping, type ParsedStatement, type StatementFormat } from '../parsers/index.ts';

export type StoredFile = { filename: string; format: StatementFormat; encoding: string; csvMapping: CsvMapping | null };

export function readStatement(file: StoredFile, bytes: Uint8Array): ParsedStatement {
  if (file.format === 'csv') {
    return parseStatement(bytes, { format: 'csv', filename: file.filename, csvMapping: file.csvMapping ?? undefined });
  }
  return parseStatement(bytes, { format: file.format, filename: file.filename, encoding: file.encoding });
}
