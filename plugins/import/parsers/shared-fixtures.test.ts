// Every statement in ../shared/fixtures/statements/, parsed to concrete values. The files are
// copied (with their MIT licences) into test-fixtures/shared/ so this runs where ../shared is absent;
// where it is present, the first test checks the copies are complete and identical.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { investmentRefusal, parseCsv, parseStatement, sampleCsv, suggestMapping } from './index.ts';
import type { ParsedStatement, StatementTransaction } from './types.ts';

const copies = resolve(import.meta.dirname, '../test-fixtures/shared');
const upstream = resolve(import.meta.dirname, '../../../../shared/fixtures/statements');
const read = (rel: string) => readFileSync(join(copies, rel));
const parse = (rel: string) => parseStatement(read(rel), { filename: rel });

function only(st: ParsedStatement) {
  assert.equal(st.accounts.length, 1);
  return st.accounts[0];
}

function brief(t: StatementTransaction) {
  return { date: t.date, amount: t.amount, payee: t.payee, memo: t.memo };
}

describe('shared statement fixtures', () => {
  it('the copies match ../shared/fixtures/statements (when present) and every file is tested here', () => {
    const tested = [
      'actual/data-payee-memo.csv', 'actual/data-payee-memo.ofx', 'actual/data-payee-memo.qif',
      'actual/data-with-categories.qif', 'actual/utf-8.qfx', 'ofxparse/bank_medium.ofx',
      'ofxparse/checking.ofx', 'ofxparse/fail_nice_decimal_error.ofx', 'ofxparse/investment_401k.ofx',
    ];
    const licences = ['actual/LICENSE.txt', 'ofxparse/LICENSE'];
    const list = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(dir, d.name)).map((f) => `${d.name}/${f}`)).sort();
    assert.deepEqual(list(copies), [...tested, ...licences].sort());
    if (existsSync(upstream)) {
      const theirs = list(upstream);
      assert.deepEqual(theirs, [...tested, ...licences].sort(), 'a shared fixture was added or removed: copy it and test it');
      for (const f of theirs) assert.ok(readFileSync(join(upstream, f)).equals(read(f)), `${f} differs from the shared copy`);
    }
  });

  it('actual/data-payee-memo.ofx: 4 debits, payee and memo kept apart, ledger balance', () => {
    const st = parse('actual/data-payee-memo.ofx');
    assert.equal(st.format, 'ofx');
    assert.equal(st.version, '102');
    const acc = only(st);
    assert.deepEqual([acc.kind, acc.type, acc.bankId, acc.accountId, acc.currency], ['cash', 'checking', '012345678', '123456789123', 'USD']);
    assert.deepEqual(acc.balance, { amount: '1000.00', date: '2019-01-24' });
    assert.deepEqual(acc.period, { start: '2019-01-19', end: '2019-01-24' });
    assert.equal(acc.transactions.length, 4);
    assert.deepEqual(acc.transactions.map(brief), [
      { date: '2019-01-23', amount: '-10.00', payee: 'Payee Name', memo: 'Memo Text' },
      { date: '2019-01-23', amount: '-20.00', payee: 'Payee Name Only', memo: undefined },
      { date: '2019-01-23', amount: '-30.00', payee: undefined, memo: 'Memo Only Text' },
      { date: '2019-01-23', amount: '-40.00', payee: undefined, memo: undefined },
    ]);
    assert.deepEqual(acc.transactions.map((t) => t.externalId), ['test-name-and-memo', 'test-name-only', 'test-memo-only', 'test-neither']);
    assert.deepEqual(st.rowErrors, []);
  });

  it('actual/data-payee-memo.qif: same four rows, month-first dates, derived ids', () => {
    const st = parse('actual/data-payee-memo.qif');
    assert.equal(st.format, 'qif');
    const acc = only(st);
    assert.equal(acc.type, 'checking');
    assert.equal(acc.transactions.length, 4);
    assert.deepEqual(brief(acc.transactions[0]), { date: '2019-01-23', amount: '-10.00', payee: 'Payee Name', memo: 'Note Text' });
    assert.deepEqual(brief(acc.transactions[3]), { date: '2019-01-23', amount: '-40.00', payee: undefined, memo: undefined });
    assert.ok(acc.transactions.every((t) => t.externalIdSource === 'derived' && /^h1:[0-9a-f]{32}$/.test(t.externalId)));
    assert.equal(new Set(acc.transactions.map((t) => t.externalId)).size, 4);
    // Pinned: changing the id formula would make every earlier import re-add its rows.
    assert.equal(acc.transactions[0].externalId, 'h1:381399a378be5a09b990a2ba23b35570');
    assert.deepEqual(st.warnings, []);
  });

  it('actual/data-with-categories.qif: two-digit years, categories', () => {
    const acc = only(parse('actual/data-with-categories.qif'));
    assert.equal(acc.transactions.length, 3);
    assert.deepEqual({ ...brief(acc.transactions[0]), category: acc.transactions[0].category },
      { date: '2018-12-19', amount: '-100.58', payee: 'Outlet', memo: undefined, category: 'Usual Expenses:Shopping' });
    assert.deepEqual({ ...brief(acc.transactions[2]), category: acc.transactions[2].category },
      { date: '2018-12-19', amount: '-40.60', payee: 'RestaurantExample', memo: undefined, category: 'Food' });
  });

  it('actual/data-payee-memo.csv: suggested mapping reads all four rows', () => {
    const bytes = read('actual/data-payee-memo.csv');
    const sample = sampleCsv(bytes);
    const { mapping } = suggestMapping(sample.headers, sample.sampleRows);
    assert.deepEqual(
      [mapping.dateColumn, mapping.dateFormat, mapping.amountColumn, mapping.payeeColumn, mapping.memoColumn, mapping.hasHeader],
      ['date', 'YYYY-MM-DD', 'amount', 'payee', 'notes', true]);
    const acc = only(parseCsv(bytes, mapping));
    assert.equal(acc.transactions.length, 4);
    assert.deepEqual(brief(acc.transactions[0]), { date: '2019-01-23', amount: '-10.00', payee: 'Payee Name', memo: 'Note Text' });
    assert.deepEqual(brief(acc.transactions[2]), { date: '2019-01-23', amount: '-30.00', payee: undefined, memo: 'Note Only Text' });
    assert.deepEqual(brief(acc.transactions[3]), { date: '2019-01-23', amount: '-40.00', payee: undefined, memo: undefined });
    assert.equal(acc.transactions[3].line, 5);
    // The same statement in three formats gives the same QIF/CSV ids (same account key, same rows).
    const qif = only(parseStatement(read('actual/data-payee-memo.qif')));
    assert.deepEqual(acc.transactions.map((t) => t.externalId), qif.transactions.map((t) => t.externalId));
  });

  it('actual/utf-8.qfx: QFX (Intuit tags), UTF-8 declared, accents and euro sign intact', () => {
    const st = parse('actual/utf-8.qfx');
    assert.equal(st.format, 'qfx');
    assert.equal(st.encoding, 'utf-8');
    const acc = only(st);
    assert.deepEqual([acc.bankId, acc.branchId, acc.accountId, acc.currency], ['700012345', '0055666', '999-12345-0055666-EOP', 'CAD']);
    assert.equal(acc.transactions.length, 1);
    assert.deepEqual(brief(acc.transactions[0]), { date: '2022-10-19', amount: '-20.00', payee: 'Café Métro €uro', memo: 'Paiement 5€ — débit' });
    assert.equal(acc.transactions[0].externalId, 'cafeUtf8xx');
    assert.deepEqual(acc.balance, { amount: '9999.99', date: '2022-10-20' });
    assert.deepEqual(acc.availableBalance, { amount: '9999.99', date: '2022-10-20' });
  });

  it('ofxparse/bank_medium.ofx: everything on a few lines, EST dates kept as written', () => {
    const st = parse('ofxparse/bank_medium.ofx');
    assert.equal(st.format, 'qfx'); // carries <INTU.BID>
    const acc = only(st);
    assert.deepEqual([acc.bankId, acc.branchId, acc.accountId, acc.type, acc.currency], ['160000100', '00', '12300 000012345678', 'checking', 'CAD']);
    assert.equal(acc.transactions.length, 3);
    assert.deepEqual(brief(acc.transactions[0]), { date: '2009-04-01', amount: '-6.60', payee: "MCDONALD'S #112", memo: "POS MERCHANDISE;MCDONALD'S #112" });
    assert.deepEqual(brief(acc.transactions[2]), { date: '2009-04-03', amount: '-22.00', payee: "CONNIE'S HAIR D", memo: "POS MERCHANDISE;CONNIE'S HAIR D" });
    assert.deepEqual([acc.transactions[1].type, acc.transactions[1].checkNumber, acc.transactions[1].amount], ['check', '0', '-316.67']);
    assert.deepEqual(acc.transactions.map((t) => t.line), [15, 16, 17]);
    assert.deepEqual(acc.balance, { amount: '382.34', date: '2009-05-23' });
    assert.deepEqual(acc.availableBalance, { amount: '682.34', date: '2009-05-23' });
  });

  it('ofxparse/checking.ofx: indented SGML, check number, balances', () => {
    const acc = only(parse('ofxparse/checking.ofx'));
    assert.deepEqual([acc.bankId, acc.accountId], ['5472369148', '1452687~7']);
    assert.equal(acc.transactions.length, 3);
    assert.deepEqual(brief(acc.transactions[0]), {
      date: '2011-03-31', amount: '0.01', payee: 'DIVIDEND EARNED FOR PERIOD OF 03',
      memo: 'DIVIDEND EARNED FOR PERIOD OF 03/01/2011 THROUGH 03/31/2011 ANNUAL PERCENTAGE YIELD EARNED IS 0.05%',
    });
    const last = acc.transactions[2];
    assert.deepEqual(brief(last), { date: '2011-04-07', amount: '-25.00', payee: 'RETURNED CHECK FEE, CHECK # 319', memo: 'RETURNED CHECK FEE, CHECK # 319 FOR $45.33 ON 04/07/11' });
    assert.deepEqual([last.checkNumber, last.externalId, last.type], ['319', '0000488', 'check']);
    assert.deepEqual(acc.balance, { amount: '100.99', date: '2013-05-25' });
    assert.deepEqual(acc.availableBalance, { amount: '75.99', date: '2013-05-25' });
    assert.deepEqual(acc.period, { start: '2000-01-01', end: '2013-05-25' });
  });

  it('ofxparse/fail_nice_decimal_error.ofx: headerless, bad date and "$120" become a row error with lines', () => {
    const st = parse('ofxparse/fail_nice_decimal_error.ofx');
    const acc = only(st);
    assert.deepEqual([acc.bankId, acc.accountId, acc.currency], ['123845030', '192639749', 'CAD']);
    assert.equal(acc.transactions.length, 0);
    assert.deepEqual(acc.balance, { amount: '0', date: '2011-06-14' });
    assert.deepEqual(st.rowErrors, [{
      line: 36,
      reason: "DTPOSTED '201120000000' is not a valid date (month 20); TRNAMT '$120' is not a valid amount (line 37)",
      element: 'OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN[1]',
    }]);
  });

  it('ofxparse/investment_401k.ofx: trades and positions, never cash transactions; refused with a clear message', () => {
    const st = parse('ofxparse/investment_401k.ofx');
    const acc = only(st);
    assert.deepEqual([acc.kind, acc.type, acc.bankId, acc.accountId, acc.currency], ['investment', 'investment', 'example.org', '12345678.123456-01', 'USD']);
    assert.deepEqual(acc.transactions, []);
    const inv = acc.investment!;
    assert.equal(inv.transactions.length, 3);
    assert.deepEqual(inv.transactions[0], {
      line: 46, action: 'buymf', date: '2014-06-17', externalId: '1', externalIdSource: 'fitid', subtype: 'buy',
      security: { uniqueId: 'FOO', uniqueIdType: 'PRIVATE', ticker: 'FOO', name: 'Foo Index Fund', kind: 'mf' },
      units: '8.846699', unitPrice: '22.2908', total: '-197.2',
    });
    const last = inv.transactions[2];
    assert.deepEqual([last.action, last.subtype, last.date, last.security?.name, last.units, last.unitPrice, last.externalId],
      ['transfer', 'out', '2014-06-30', 'Baz Fund', '-9.060702', '21.928764', '3']);
    assert.deepEqual(inv.positions.map((p) => [p.security.ticker, p.units, p.unitPrice, p.marketValue, p.priceDate]), [
      ['FOO', '17.604312', '22.517211', '396.4', '2014-06-30'],
      ['BAR', '13.550983', '29.214855', '395.89', '2014-06-30'],
      ['BAZ', '0.0', '0.0', '0.0', '2014-06-30'],
    ]);
    assert.equal(inv.retirementTotal, '1000.00');
    assert.equal(inv.asOf, '2014-06-30');
    assert.equal(investmentRefusal(st),
      'This is an investment statement for 12345678.123456-01 (3 investment transactions, 3 positions). Trades and holdings are not cash transactions, and only bank, credit card and loan statements can be imported: it cannot be imported into any account.');
  });
});
