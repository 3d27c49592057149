import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDecimal, negateDecimal, parseAmount, sumDecimals } from './amounts.ts';
import { detectQifDateOrder, matchingDateFormats, parseDateWithFormat, parseOfxDate, parseQifDate } from './dates.ts';

const amount = (raw: string, options?: Parameters<typeof parseAmount>[1]) => {
  const r = parseAmount(raw, options);
  return r.ok ? r.value : `ERR ${r.reason}`;
};

describe('amounts are exact decimal strings', () => {
  it('reads the usual ways of writing money', () => {
    const cases: Array<[string, Parameters<typeof parseAmount>[1], string]> = [
      ['1,234.56', {}, '1234.56'],
      ['-12.5', {}, '-12.5'],
      ['(12.50)', {}, '-12.50'],
      ['1.234,56', { decimalSeparator: ',' }, '1234.56'],
      ['-1 234,56', { decimalSeparator: ',' }, '-1234.56'],
      ["1'234.50", {}, '1234.50'],
      ['+7', {}, '7'],
      ['.5', {}, '0.5'],
      ['007.10', {}, '7.10'],
      ['-0.00', {}, '0.00'],
      ['\u22123.00', {}, '-3.00'],
      ['$1,234.56', { lenient: true }, '1234.56'],
      ['-$12.00', { lenient: true }, '-12.00'],
      ['12,50 €', { decimalSeparator: ',', lenient: true }, '12.50'],
      ['EUR -3,10', { decimalSeparator: ',', lenient: true }, '-3.10'],
      ['12.50-', { lenient: true }, '-12.50'],
      ['45.00 DR', { lenient: true }, '-45.00'],
      ['45.00 CR', { lenient: true }, '45.00'],
      ['12,50', { decimalSeparator: 'either' }, '12.50'],
      ['99999999999999999999.99', {}, '99999999999999999999.99'],
    ];
    for (const [raw, options, expected] of cases) assert.equal(amount(raw, options), expected, raw);
  });

  it('refuses what it cannot read exactly, saying why', () => {
    assert.equal(amount('12,5'), "ERR '12,5' is not a valid amount (digit grouping does not fit '.' as the decimal separator)");
    assert.equal(amount('1.234,56'), "ERR '1.234,56' is not a valid amount (it looks like ',' is the decimal separator)");
    assert.equal(amount('1,000.00', { decimalSeparator: 'either' }), "ERR '1,000.00' is not a valid amount (OFX amounts have a single decimal separator and no grouping)");
    assert.equal(amount('$120'), "ERR '$120' is not a valid amount");
    assert.equal(amount('--5'), "ERR '--5' is not a valid amount (more than one sign)");
    assert.equal(amount('1.2.3'), "ERR '1.2.3' is not a valid amount (more than one '.')");
    assert.equal(amount(''), 'ERR amount is empty');
    assert.equal(amount('abc', { lenient: true }), "ERR 'abc' is not a valid amount");
  });

  it('adds and negates without floating point error', () => {
    assert.equal(addDecimal('0.1', '0.2'), '0.3');
    assert.equal(addDecimal('10.00', '-54.21'), '-44.21');
    assert.equal(addDecimal('-0.5', '0.50'), '0.00');
    assert.equal(sumDecimals(Array(10).fill('0.10')), '1.00');
    assert.equal(negateDecimal('-3'), '3');
    assert.equal(negateDecimal('0.00'), '0.00');
  });
});

describe('dates are the calendar date as written', () => {
  it('OFX date-times keep their local date whatever the offset', () => {
    const ok = (raw: string) => { const r = parseOfxDate(raw); return r.ok ? r.value : `ERR ${r.reason}`; };
    assert.equal(ok('20240102120000[-5:EST]'), '2024-01-02');
    assert.equal(ok('20240102233000.000[-5:EST]'), '2024-01-02');
    assert.equal(ok('20240102003000[+9:JST]'), '2024-01-02');
    assert.equal(ok('20240102000000[-3.5:NST]'), '2024-01-02');
    assert.equal(ok('20240229'), '2024-02-29');
    assert.equal(ok('202401021200'), '2024-01-02');
    assert.equal(ok('20230229'), 'ERR day 29 of 2023-02');
    assert.equal(ok('20241301'), 'ERR month 13');
    assert.equal(ok('20240102256000'), 'ERR time 25:60:00');
    assert.equal(ok('2024-01-02'), 'ERR expected YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]]');
  });

  it('CSV formats, including names of months and a trailing time', () => {
    const ok = (raw: string, f: string) => { const r = parseDateWithFormat(raw, f); return r.ok ? r.value : `ERR ${r.reason}`; };
    assert.equal(ok('02.01.2024', 'DD.MM.YYYY'), '2024-01-02');
    assert.equal(ok('1/2/2024', 'MM/DD/YYYY'), '2024-01-02');
    assert.equal(ok('1/2/2024', 'DD/MM/YYYY'), '2024-02-01');
    assert.equal(ok('20240102', 'YYYYMMDD'), '2024-01-02');
    assert.equal(ok('02 Jan 2024', 'DD MMM YYYY'), '2024-01-02');
    assert.equal(ok('Jan 2, 2024', 'MMM DD, YYYY'), '2024-01-02');
    assert.equal(ok('02-Sept-24', 'DD-MMM-YY'), '2024-09-02');
    assert.equal(ok('2024-01-02 13:45:00', 'YYYY-MM-DD'), '2024-01-02');
    assert.equal(ok('2024-01-02T23:59:59Z', 'YYYY-MM-DD'), '2024-01-02');
    assert.equal(ok('31/12/69', 'DD/MM/YY'), '1969-12-31');
    assert.equal(ok('31/12/68', 'DD/MM/YY'), '2068-12-31');
    assert.equal(ok('2024-01-02', 'DD/MM/YYYY'), 'ERR does not match DD/MM/YYYY');
    assert.equal(ok('02 Foo 2024', 'DD MMM YYYY'), 'ERR unknown month name');
  });

  it('matchingDateFormats narrows formats using every sample', () => {
    assert.deepEqual(matchingDateFormats(['01/02/2024', '01/13/2024']), ['MM/DD/YYYY']);
    assert.deepEqual(matchingDateFormats(['13/01/2024']), ['DD/MM/YYYY']);
    assert.deepEqual(matchingDateFormats(['01/02/2024']), ['MM/DD/YYYY', 'DD/MM/YYYY']);
    assert.deepEqual(matchingDateFormats(['2024-01-02']), ['YYYY-MM-DD']);
    assert.deepEqual(matchingDateFormats(['hello']), []);
  });

  it('QIF dates and their order', () => {
    assert.deepEqual(parseQifDate("1/2'24", 'MDY'), { ok: true, value: '2024-01-02' });
    assert.deepEqual(parseQifDate("12/31'99", 'MDY'), { ok: true, value: '2099-12-31' });
    assert.deepEqual(parseQifDate('12/31/99', 'MDY'), { ok: true, value: '1999-12-31' });
    assert.deepEqual(parseQifDate('2024/1/2', 'DMY'), { ok: true, value: '2024-01-02' });
    assert.deepEqual(detectQifDateOrder(['01/02/2024', '25/02/2024']), { order: 'DMY', ambiguous: false, conflict: false });
    assert.deepEqual(detectQifDateOrder(['25/02/2024', '02/25/2024']).conflict, true);
    assert.deepEqual(detectQifDateOrder(['01.02.2024']), { order: 'DMY', ambiguous: true, conflict: false });
  });
});
