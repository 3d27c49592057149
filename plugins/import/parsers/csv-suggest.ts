// A first guess at the CSV mapping, so most users only confirm it: column roles from header names
// (English, German, French, Spanish, Dutch, Italian...) and, where names say nothing, from the
// content (a column of dates, a column of amounts, the wordiest text column as payee); the date
// format and decimal separator from the values themselves.

import { parseAmount, type DecimalSeparator } from './amounts.ts';
import { matchingDateFormats, type DateFormat } from './dates.ts';
import type { CsvMapping } from './csv.ts';

export interface MappingSuggestion {
  mapping: CsvMapping;
  /** Every date format that reads all sample dates; more than one means the user should pick. */
  dateFormats: DateFormat[];
  /** Human-readable notes on what could not be decided for sure. */
  notes: string[];
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();

// Ordered by preference: the first pattern that matches a header wins the role.
const ROLE_PATTERNS: Record<'date' | 'amount' | 'debit' | 'credit' | 'payee' | 'memo' | 'check' | 'id', RegExp[]> = {
  date: [/^(transaction|trans\.?|posting|posted|booking|buchungs?|txn)[ _-]?(date|datum|tag)$/, /^date$/, /^(datum|fecha|data|date operation|date de l'?operation|buchungstag|boekdatum|datum transactie)$/, /date|datum|fecha|data$/],
  amount: [/^(amount|betrag|montant|importe|importo|bedrag|belopp|valor|summe|umsatz)$/, /amount|betrag|montant|importe|importo|bedrag/],
  debit: [/^(debit|debits|withdrawal|withdrawals|paid out|money out|outflow|out|soll|ausgang|debit amount|cargo|cargos|af|uitgaven)$/, /debit|withdraw|paid out|money out|outflow|soll/],
  credit: [/^(credit|credits|deposit|deposits|paid in|money in|inflow|in|haben|eingang|credit amount|abono|abonos|bij|inkomsten)$/, /credit|deposit|paid in|money in|inflow|haben/],
  payee: [/^(payee|merchant|name|beneficiary|counterparty|empfanger|zahlungsempfanger|auftraggeber|beguenstigter|begunstigter|libelle|tiers|beneficiario|naam|description)$/, /payee|merchant|beneficiar|counterpart|empf|auftraggeber|libelle|description|beschreibung|concepto|omschrijving/],
  memo: [/^(memo|notes?|reference|verwendungszweck|purpose|remarks?|communication|details|narrative|buchungstext|mededelingen|causale)$/, /memo|note|verwendungszweck|reference|purpose|details|remark/],
  check: [/^(check|cheque|check ?(no|number|#)|cheque ?(no|number|#)|chq)\.?$/],
  id: [/^(transaction ?id|id|fitid|unique ?id|transaktions?-?id)$/],
};

function matchRoles(headers: string[]): Partial<Record<keyof typeof ROLE_PATTERNS, number>> {
  const folded = headers.map(fold);
  const taken = new Set<number>();
  const result: Partial<Record<keyof typeof ROLE_PATTERNS, number>> = {};
  // Specific roles first so 'Debit' is not taken as an amount nor 'Transaction ID' as a date.
  for (const role of ['id', 'check', 'debit', 'credit', 'date', 'amount', 'payee', 'memo'] as const) {
    for (const pattern of ROLE_PATTERNS[role]) {
      const i = folded.findIndex((h, idx) => !taken.has(idx) && pattern.test(h));
      if (i >= 0) { result[role] = i; taken.add(i); break; }
    }
  }
  return result;
}

function column(rows: string[][], i: number): string[] {
  return rows.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '');
}

function guessDecimal(values: string[]): DecimalSeparator {
  let comma = 0, dot = 0;
  for (const v of values) {
    if (/,\d{1,2}(?!\d)\s*\D*$/.test(v) || /\d\.\d{3},/.test(v)) comma++;
    else if (/\.\d{1,2}(?!\d)\s*\D*$/.test(v) || /\d,\d{3}\./.test(v)) dot++;
  }
  return comma > dot ? ',' : '.';
}

function isAmountColumn(values: string[], sep: DecimalSeparator): boolean {
  return values.length > 0 && values.every((v) => parseAmount(v, { decimalSeparator: sep, lenient: true }).ok);
}

export function suggestMapping(headers: string[], sampleRows: string[][]): MappingSuggestion {
  const notes: string[] = [];
  const width = Math.max(headers.length, ...sampleRows.map((r) => r.length));
  const byName = matchRoles(headers);
  // A header row has names, not data: if the first record holds a date where dates are, it is data.
  const dateLike = (v: string) => matchingDateFormats([v]).length > 0;
  const headerIsData = headers.some((h) => dateLike(h.trim()));
  const hasHeader = !headerIsData;
  const rows = hasHeader ? sampleRows : [headers, ...sampleRows];
  const roles = hasHeader ? byName : {};

  if (roles.date === undefined) {
    for (let i = 0; i < width; i++) {
      const values = column(rows, i);
      if (values.length && matchingDateFormats(values).length) { roles.date = i; break; }
    }
  }
  const amountIdx = roles.amount ?? roles.debit ?? roles.credit;
  const moneyValues = [roles.amount, roles.debit, roles.credit].filter((i) => i !== undefined).flatMap((i) => column(rows, i!));
  let decimalSeparator = guessDecimal(moneyValues);
  if (amountIdx === undefined) {
    // The numeric column that is not the date, preferring one with decimals or signs.
    const candidates: number[] = [];
    for (let i = 0; i < width; i++) {
      if (i === roles.date) continue;
      const values = column(rows, i);
      const sep = guessDecimal(values);
      if (isAmountColumn(values, sep)) candidates.push(i);
    }
    const scored = candidates.map((i) => ({ i, score: column(rows, i).filter((v) => /[.,]\d{1,2}\b|^[-(]/.test(v)).length }));
    scored.sort((a, b) => b.score - a.score || a.i - b.i);
    if (scored[0]) { roles.amount = scored[0].i; decimalSeparator = guessDecimal(column(rows, scored[0].i)); }
  }
  if (roles.payee === undefined) {
    // The wordiest text column that is not already used.
    const used = new Set(Object.values(roles));
    let best = -1, bestLength = 0;
    for (let i = 0; i < width; i++) {
      if (used.has(i)) continue;
      const values = column(rows, i);
      if (!values.length || isAmountColumn(values, decimalSeparator)) continue;
      const avg = values.reduce((s, v) => s + v.length, 0) / values.length;
      if (avg > bestLength) { best = i; bestLength = avg; }
    }
    if (best >= 0) roles.payee = best;
  }

  let dateFormats: DateFormat[] = [];
  let dateFormat: string = 'YYYY-MM-DD';
  if (roles.date === undefined) notes.push('no column of dates was found; choose the date column');
  else {
    dateFormats = matchingDateFormats(column(rows, roles.date));
    if (dateFormats.length === 0) notes.push(`the values of column ${roles.date + 1} do not match any known date format`);
    else {
      // Day-first for decimal-comma files (Europe), month-first otherwise, when the values allow both.
      const preferred = decimalSeparator === ',' ? dateFormats.find((f) => f.startsWith('DD')) : dateFormats.find((f) => f.startsWith('MM'));
      dateFormat = preferred ?? dateFormats[0];
      if (dateFormats.length > 1) notes.push(`dates fit ${dateFormats.join(' and ')}; ${dateFormat} was chosen, check it`);
    }
  }
  if (roles.amount === undefined && roles.debit === undefined && roles.credit === undefined) notes.push('no amount column was found; choose the amount (or debit and credit) columns');
  if (!hasHeader) notes.push('the first row holds data, so the file is read as having no header row');

  // Columns are named by their header when the name is unique, else by index.
  const unique = (i: number) => headers[i]?.trim() && headers.filter((h) => fold(h) === fold(headers[i])).length === 1;
  const ref = (i: number | undefined) => (i === undefined ? undefined : hasHeader && unique(i) ? headers[i].trim() : i);
  const mapping: CsvMapping = {
    dateColumn: ref(roles.date) ?? 0, dateFormat,
    decimalSeparator, sign: 'as-is', hasHeader, delimiter: 'auto', encoding: 'auto',
  };
  const optional = { amountColumn: roles.amount, debitColumn: roles.debit, creditColumn: roles.credit, payeeColumn: roles.payee, memoColumn: roles.memo, checkNumberColumn: roles.check, idColumn: roles.id };
  if (optional.amountColumn !== undefined) { optional.debitColumn = undefined; optional.creditColumn = undefined; }
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (mapping as unknown as Record<string, unknown>)[k] = ref(v);
  return { mapping, dateFormats, notes };
}
