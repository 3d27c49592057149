import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseCsv, parseStatement, previewCsv, sampleCsv, StatementError, suggestMapping, type CsvMapping } from './index.ts';

const own = (name: string) => readFileSync(resolve(import.meta.dirname, '../test-fixtures/own', name));
const base: CsvMapping = {
  dateColumn: 'date', dateFormat: 'YYYY-MM-DD', amountColumn: 'amount', payeeColumn: 'payee',
  decimalSeparator: '.', sign: 'as-is', hasHeader: true, delimiter: 'auto', encoding: 'auto',
};
const rows = (bytes: Uint8Array | string, mapping: CsvMapping) => {
  const st = parseCsv(bytes, mapping);
  return { st, t: st.accounts[0].transactions };
};

/** sampleCsv + suggestMapping, as the mapping step does before the user confirms. */
function suggested(bytes: Uint8Array) {
  const sample = sampleCsv(bytes);
  return { sample, ...suggestMapping(sample.headers, sample.sampleRows) };
}

function failure(fn: () => unknown): StatementError {
  try { fn(); } catch (e) { if (e instanceof StatementError) return e; throw e; }
  assert.fail('expected a StatementError');
}

describe('CSV encodings', () => {
  it('UTF-16 LE with BOM, tab-separated', () => {
    const { sample, mapping } = suggested(own('utf16le-bom.csv'));
    assert.deepEqual([sample.encoding, sample.delimiter], ['utf-16le', '\t']);
    const { st, t } = rows(own('utf16le-bom.csv'), mapping);
    assert.equal(st.encoding, 'utf-16le');
    assert.deepEqual(t.map((x) => [x.line, x.date, x.amount, x.payee, x.memo]), [
      [2, '2024-03-01', '-4.50', 'Café Zoë', 'flat white'],
      [3, '2024-03-02', '1250.00', 'Salary €', 'March'],
      [4, '2024-03-05', '-19.99', 'Naïve Books', undefined],
    ]);
  });

  it('UTF-16 BE with BOM', () => {
    const { t, st } = rows(own('utf16be-bom.csv'), base);
    assert.equal(st.encoding, 'utf-16be');
    assert.deepEqual(t.map((x) => x.payee), ['Bäckerei Müller', 'Crème & Co']);
  });

  it('Windows-1252 without BOM is detected (é, £, €), or can be forced', () => {
    const mapping = { ...base, dateColumn: 'Date', amountColumn: 'Amount', payeeColumn: 'Payee', dateFormat: 'DD/MM/YYYY' };
    const { t, st } = rows(own('windows-1252.csv'), mapping);
    assert.equal(st.encoding, 'windows-1252');
    assert.deepEqual(t.map((x) => [x.date, x.amount, x.payee]), [
      ['2024-01-02', '-12.00', 'Café Rouge £'], ['2024-01-03', '-3.40', 'Brasserie Élysée'], ['2024-01-15', '-80.00', 'Euro € Shop Düsseldorf'],
    ]);
    // Forcing the wrong encoding is the user's call: latin1 text read as UTF-8 fails loudly, not silently.
    const e = failure(() => parseCsv(own('windows-1252.csv'), { ...mapping, encoding: 'utf-8' }));
    assert.deepEqual([e.code, e.message], ['bad-encoding', 'line 2: the file is not valid utf-8; choose another encoding']);
  });

  it('UTF-8 with BOM: the BOM does not leak into the first header', () => {
    const { sample } = suggested(own('utf8-bom.csv'));
    assert.equal(sample.headers[0], 'Date');
    const { t } = rows(own('utf8-bom.csv'), { ...base, dateColumn: 'Date', amountColumn: 'Amount', payeeColumn: 'Payee' });
    assert.deepEqual(t.map((x) => [x.date, x.amount, x.payee]), [['2024-05-01', '-2.50', 'Kaffee Haus'], ['2024-05-02', '-15.75', 'Señor Taco']]);
  });
});

describe('CSV layouts', () => {
  it('semicolons, decimal commas, day-first dates and a preamble, all suggested from content', () => {
    const { sample, mapping, dateFormats, notes } = suggested(own('semicolon-decimal-comma.csv'));
    assert.deepEqual([sample.delimiter, sample.skipLines, sample.headers], [';', 3, ['Buchungstag', 'Empfänger', 'Verwendungszweck', 'Betrag']]);
    assert.deepEqual(
      [mapping.dateColumn, mapping.dateFormat, mapping.amountColumn, mapping.payeeColumn, mapping.memoColumn, mapping.decimalSeparator],
      ['Buchungstag', 'DD.MM.YYYY', 'Betrag', 'Empfänger', 'Verwendungszweck', ',']);
    assert.deepEqual([dateFormats, notes], [['DD.MM.YYYY'], []]);
    const { t, st } = rows(own('semicolon-decimal-comma.csv'), { ...mapping, skipLines: 'auto' });
    assert.deepEqual(t.map((x) => [x.line, x.date, x.amount, x.payee, x.memo]), [
      [5, '2024-01-02', '-1234.56', 'Stadtwerke', 'Abschlag Januar'],
      [6, '2024-01-15', '3100.00', 'Arbeitgeber GmbH', 'Gehalt'],
      [7, '2024-01-31', '-4.5', 'Bäckerei', 'Brötchen'],
    ]);
    assert.deepEqual(st.rowErrors, []);
  });

  it('preamble detection skips account lines but not a header whose rows end with a delimiter', () => {
    assert.equal(sampleCsv('Date,Amount,Payee\n2024-01-01,1.00,x,\n2024-01-02,2.00,y,\n').skipLines, 0);
    assert.equal(sampleCsv('Date,Amount,Payee\n2024-01-01,1.00,x,extra\n2024-01-02,2.00,y,extra\n').skipLines, 0);
    const s = sampleCsv('Account,123\n\nDate,Amount,Payee,Memo\n2024-01-01,1.00,x,m\n2024-01-02,2.00,y,\n');
    assert.deepEqual([s.skipLines, s.headers], [2, ['Date', 'Amount', 'Payee', 'Memo']]);
  });

  it('the wrong decimal separator is a precise row error, not a silently wrong amount', () => {
    const mapping: CsvMapping = { ...base, dateColumn: 'Buchungstag', dateFormat: 'DD.MM.YYYY', amountColumn: 'Betrag', payeeColumn: 'Empfänger', decimalSeparator: '.', delimiter: ';', skipLines: 3 };
    const { st } = rows(own('semicolon-decimal-comma.csv'), mapping);
    assert.deepEqual(st.rowErrors[0], { line: 5, reason: "amount '-1.234,56' is not a valid amount (it looks like ',' is the decimal separator)" });
  });

  it('debit and credit columns: out is negative whatever its sign, in positive, both netted', () => {
    const { mapping, dateFormats } = suggested(own('debit-credit.csv'));
    assert.deepEqual([mapping.dateColumn, mapping.debitColumn, mapping.creditColumn, mapping.payeeColumn, mapping.amountColumn],
      ['Transaction Date', 'Debit', 'Credit', 'Description', undefined]);
    assert.deepEqual(dateFormats, ['MM/DD/YYYY', 'DD/MM/YYYY']);
    const { t, st } = rows(own('debit-credit.csv'), mapping);
    assert.deepEqual(t.map((x) => [x.date, x.amount, x.payee]), [
      ['2024-01-05', '-54.21', 'GROCERY MART'],
      ['2024-01-06', '2000.00', 'PAYROLL DEPOSIT'],
      ['2024-01-07', '-100.00', 'ATM WITHDRAWAL'],
      ['2024-01-08', '8.50', 'REFUND AND FEE'],
    ]);
    assert.deepEqual(st.rowErrors, [{ line: 6, reason: 'both the debit and the credit column are empty' }]);
  });

  it('RFC 4180: quoted newlines (CRLF and LF), doubled quotes, delimiters in quotes; lines stay right', () => {
    const { t } = rows(own('quoted-newlines.csv'), { ...base, memoColumn: 'memo' });
    assert.deepEqual(t.map((x) => [x.line, x.date, x.amount, x.payee, x.memo]), [
      [2, '2024-06-01', '-12.00', 'Smith, John', 'Rent share\nfor June'],
      [4, '2024-06-02', '-3.00', 'The "Best" Bakery', 'line one\nline two\nline three'],
      [7, '2024-06-03', '5.00', 'Refund', 'plain'],
    ]);
  });

  it('an unclosed quote is a file error at the record where it opens', () => {
    const e = failure(() => parseCsv('date,amount,payee\n2024-01-01,1,"ok"\n2024-01-02,2,"broken\n2024-01-03,3,x\n', base));
    assert.deepEqual([e.code, e.line, e.message], ['malformed', 3, 'line 3: a quoted field in this record is never closed (the file ends at line 4)']);
  });

  it('identical rows in one file get distinct ids that are the same on every import', () => {
    const first = rows(own('duplicates.csv'), base).t;
    const again = rows(own('duplicates.csv'), base).t;
    assert.equal(first.length, 4);
    assert.equal(new Set(first.map((x) => x.externalId)).size, 4);
    assert.deepEqual(first.map((x) => x.externalId), again.map((x) => x.externalId));
    // A later file holding only the first two of those coffees maps onto the same two ids.
    const partial = rows('date,amount,payee\n2024-07-01,-3.50,Coffee Corner\n2024-07-01,-3.50,Coffee Corner\n', base).t;
    assert.deepEqual(partial.map((x) => x.externalId), first.slice(0, 2).map((x) => x.externalId));
    // The id column wins when the bank provides one.
    const withId = rows('id,date,amount,payee\nA-1,2024-07-01,-3.50,X\n', { ...base, idColumn: 'id' }).t[0];
    assert.deepEqual([withId.externalId, withId.externalIdSource], ['A-1', 'column']);
  });

  it('bad rows are collected with line and reason; good rows import', () => {
    const { t, st } = rows(own('row-errors.csv'), { ...base, dateColumn: 'Date', amountColumn: 'Amount', payeeColumn: 'Payee' });
    assert.deepEqual(t.map((x) => [x.line, x.amount, x.payee]), [[2, '-10.00', 'Good One'], [6, '-7.25', 'Parenthesised Refund Reversal']]);
    assert.deepEqual(st.rowErrors, [
      { line: 3, reason: "date '2024-02-30' is not a valid date (day 30 of 2024-02)" },
      { line: 4, reason: "amount '12.x5' is not a valid amount" },
      { line: 5, reason: 'the amount is empty' },
      { line: 7, reason: "date 'Total' does not match YYYY-MM-DD" },
    ]);
  });

  it('sign invert, column numbers, no header, short rows', () => {
    const text = '01/02/2024,12.00,Card purchase\n01/03/2024,-50.00,Payment\n01/04/2024\n';
    const mapping: CsvMapping = { ...base, hasHeader: false, dateColumn: 0, amountColumn: 1, payeeColumn: 2, dateFormat: 'MM/DD/YYYY', sign: 'invert' };
    const { t, st } = rows(text, mapping);
    assert.deepEqual(t.map((x) => [x.date, x.amount, x.payee]), [['2024-01-02', '-12.00', 'Card purchase'], ['2024-01-03', '50.00', 'Payment']]);
    assert.deepEqual(st.rowErrors, [{ line: 3, reason: "the row has 1 field, so no amount (column 2, 'column 2')" }]);
    const { mapping: guess } = suggestMapping(['01/02/2024', '12.00', 'Card purchase'], [['01/03/2024', '-50.00', 'Payment']]);
    assert.deepEqual([guess.hasHeader, guess.dateColumn, guess.amountColumn, guess.payeeColumn], [false, 0, 1, 2]);
  });

  it('mapping mistakes are reported plainly', () => {
    const csv = 'date,amount,payee\n2024-01-01,1,x\n';
    assert.equal(failure(() => parseCsv(csv, { ...base, amountColumn: 'Betrag' })).message, "amount column 'Betrag' is not in the header (columns: date, amount, payee)");
    assert.equal(failure(() => parseCsv(csv, { ...base, amountColumn: undefined })).message, 'the mapping needs an amount column, or debit and credit columns');
    assert.equal(failure(() => parseCsv(csv, { ...base, dateFormat: 'MM/YYYY' })).message, "date format 'MM/YYYY' needs a year (YYYY or YY), a month (MM or MMM) and a day (DD)");
    assert.equal(failure(() => parseStatement(new TextEncoder().encode(csv))).code, 'csv-mapping');
  });

  it('previewCsv returns the first n rows with their errors and the detected layout', () => {
    const p = previewCsv(own('row-errors.csv'), { ...base, dateColumn: 'Date', amountColumn: 'Amount', payeeColumn: 'Payee' }, 3);
    assert.deepEqual([p.encoding, p.delimiter, p.skipLines, p.headers], ['utf-8', ',', 0, ['Date', 'Amount', 'Payee']]);
    assert.deepEqual(p.rows.map((r) => [r.line, r.fields[0], r.transaction?.amount, r.error]), [
      [2, '2024-02-01', '-10.00', undefined],
      [3, '2024-02-30', undefined, "date '2024-02-30' is not a valid date (day 30 of 2024-02)"],
      [4, '2024-02-03', undefined, "amount '12.x5' is not a valid amount"],
    ]);
  });
});
