// The CSV mapping as form fields and back. Columns travel as 0-based indexes (the select lists the
// header names); an empty choice means "none".
import { DATE_FORMATS, type CsvMapping } from '../parsers/index.ts';
import type { Form } from './http.ts';

export const ENCODINGS = [
  ['auto', 'Detect'], ['utf-8', 'UTF-8'], ['windows-1252', 'Windows-1252 (Western Europe)'], ['iso-8859-15', 'ISO-8859-15'],
  ['utf-16le', 'UTF-16 LE'], ['utf-16be', 'UTF-16 BE'], ['macintosh', 'Mac Roman'],
] as const;

export const DELIMITER_CHOICES = [['auto', 'Detect'], [',', 'Comma'], [';', 'Semicolon'], ['\t', 'Tab'], ['|', 'Pipe']] as const;

export type MappingFields = {
  dateColumn: string; dateFormat: string; amountMode: 'single' | 'split'; amountColumn: string; debitColumn: string;
  creditColumn: string; payeeColumn: string; memoColumn: string; idColumn: string; decimalSeparator: string; sign: string;
  hasHeader: boolean; delimiter: string; encoding: string; skipLines: string;
};

/** A column reference (name or index) as an index into the header, '' when absent or unknown. */
function indexOf(ref: number | string | undefined, headers: string[]): string {
  if (ref === undefined || ref === '') return '';
  if (typeof ref === 'number') return String(ref);
  const i = headers.findIndex((h) => h.trim().toLowerCase() === ref.trim().toLowerCase());
  return i < 0 ? '' : String(i);
}

export function mappingToFields(m: CsvMapping, headers: string[]): MappingFields {
  const split = m.amountColumn === undefined && (m.debitColumn !== undefined || m.creditColumn !== undefined);
  return {
    dateColumn: indexOf(m.dateColumn, headers), dateFormat: m.dateFormat, amountMode: split ? 'split' : 'single',
    amountColumn: indexOf(m.amountColumn, headers), debitColumn: indexOf(m.debitColumn, headers), creditColumn: indexOf(m.creditColumn, headers),
    payeeColumn: indexOf(m.payeeColumn, headers), memoColumn: indexOf(m.memoColumn, headers), idColumn: indexOf(m.idColumn, headers),
    decimalSeparator: m.decimalSeparator, sign: m.sign, hasHeader: m.hasHeader, delimiter: m.delimiter, encoding: m.encoding,
    skipLines: m.skipLines === undefined || m.skipLines === 'auto' ? '' : String(m.skipLines),
  };
}

/** The column references a form may leave empty ("none"). */
type OptionalColumn = 'amountColumn' | 'debitColumn' | 'creditColumn' | 'payeeColumn' | 'memoColumn' | 'idColumn';

const column = (v: string): number | undefined => (/^\d{1,5}$/.test(v) ? Number(v) : undefined);

export function fieldsToMapping(form: Form): CsvMapping {
  const split = form.get('amountMode') === 'split';
  const choice = <T extends string>(v: string, allowed: readonly T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback);
  const skip = form.get('skipLines').trim();
  const dateFormat = form.get('dateFormat').trim() || 'YYYY-MM-DD';
  const mapping: CsvMapping = {
    dateColumn: column(form.get('dateColumn')) ?? 0,
    dateFormat: dateFormat === 'custom' ? form.get('customDateFormat').trim() || 'YYYY-MM-DD' : dateFormat,
    decimalSeparator: choice(form.get('decimalSeparator'), ['.', ','], '.'),
    sign: choice(form.get('sign'), ['as-is', 'invert'], 'as-is'),
    hasHeader: form.get('hasHeader') === 'on' || form.get('hasHeader') === 'true',
    delimiter: choice(form.get('delimiter'), ['auto', ',', ';', '\t', '|'], 'auto'),
    encoding: ENCODINGS.some(([v]) => v === form.get('encoding')) ? form.get('encoding') : 'auto',
    skipLines: /^\d{1,5}$/.test(skip) ? Number(skip) : 'auto',
  };
  const set = (key: OptionalColumn, v: number | undefined) => { if (v !== undefined) mapping[key] = v; };
  if (split) {
    set('debitColumn', column(form.get('debitColumn')));
    set('creditColumn', column(form.get('creditColumn')));
  } else set('amountColumn', column(form.get('amountColumn')));
  set('payeeColumn', column(form.get('payeeColumn')));
  set('memoColumn', column(form.get('memoColumn')));
  set('idColumn', column(form.get('idColumn')));
  return mapping;
}

export const dateFormats = DATE_FORMATS;
