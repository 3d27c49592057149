import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { investmentRefusal, parseQif, parseStatement, StatementError } from './index.ts';

const own = (name: string) => readFileSync(resolve(import.meta.dirname, '../test-fixtures/own', name));
const parse = (name: string) => parseStatement(own(name), { filename: name });

describe('QIF', () => {
  it('reads the date styles Quicken and others write', () => {
    const st = parse('qif-date-styles.qif');
    assert.equal(st.format, 'qif');
    const rows = st.accounts[0].transactions.map((t) => [t.line, t.date, t.amount, t.payee]);
    assert.deepEqual(rows, [
      [2, '2024-01-02', '-10.00', 'Apostrophe Year'],     // 1/2'24
      [6, '2024-01-15', '-1234.56', 'Four Digit Year'],   // 01/15/2024, T-1,234.56
      [11, '2024-02-03', '20', 'ISO Date'],               // 2024-02-03
      [15, '2018-12-19', '-100.58', 'Two Digit Year'],    // 12/19/18
      [20, '2004-01-05', '-7.25', 'Space Padded'],        // ' 1/ 5' 4'
    ]);
    const t = st.accounts[0].transactions;
    assert.equal(t[1].checkNumber, '1001');
    assert.equal(t[3].category, 'Groceries');
    assert.equal(t[4].memo, 'Quicken 2004 style');
    assert.deepEqual(st.warnings, []); // 01/15 proves month-first
  });

  it('day-first files are recognised from a day over 12, or forced by option', () => {
    const text = '!Type:Bank\nD13/02/2024\nT-1.00\nPA\n^\nD01/03/2024\nT-2.00\nPB\n^\n';
    assert.deepEqual(parseQif(text).accounts[0].transactions.map((t) => t.date), ['2024-02-13', '2024-03-01']);
    const ambiguous = '!Type:Bank\nD01/03/2024\nT-2.00\n^\n';
    const auto = parseQif(ambiguous);
    assert.equal(auto.accounts[0].transactions[0].date, '2024-01-03');
    assert.deepEqual(auto.warnings.map((w) => w.reason), ['no date in the file shows whether it is day-first or month-first; read as month/day/year']);
    assert.equal(parseQif(ambiguous, { dateOrder: 'DMY' }).accounts[0].transactions[0].date, '2024-03-01');
  });

  it('European QIF with decimal commas', () => {
    const st = parseQif('!Type:Bank\nD02.01.2024\nT-1.234,56\nPMiete\n^\nD03.01.2024\nT12,5\nPZins\n^\n');
    assert.deepEqual(st.accounts[0].transactions.map((t) => [t.date, t.amount]), [['2024-01-02', '-1234.56'], ['2024-01-03', '12.5']]);
  });

  it('bad records become row errors at the faulty line; the rest import', () => {
    const st = parseQif('!Type:Bank\nD01/05/2024\nT-1.00\nPOk\n^\nD02/30/2024\nT-2.00\nPBad date\n^\nD01/07/2024\nTabc\n^\nPNo date\nT-3.00\n^\nD01/08/2024\nPNo amount\n^\n');
    assert.deepEqual(st.accounts[0].transactions.map((t) => t.payee), ['Ok']);
    assert.deepEqual(st.rowErrors, [
      { line: 6, reason: "date '02/30/2024' is not a valid date (day 30 of 2024-02)" },
      { line: 11, reason: "T (amount) 'abc' is not a valid amount" },
      { line: 13, reason: 'the record has no date (D line)' },
      { line: 16, reason: 'the record has no amount (T line)' },
    ]);
  });

  it('!Account blocks split transactions per named account; list sections are skipped', () => {
    const st = parse('qif-multi-account.qif');
    assert.deepEqual(st.accounts.map((a) => [a.name, a.type, a.rawType, a.transactions.length]), [
      ['Everyday Checking', 'checking', 'Bank', 2],
      ['Visa Card', 'credit-card', 'CCard', 1],
    ]);
    assert.deepEqual(st.accounts[1].transactions.map((t) => [t.line, t.date, t.amount, t.payee]), [[28, '2024-03-03', '-25.99', 'Streaming Service']]);
    assert.equal(st.accounts[0].transactions[1].amount, '2500.00');
  });

  it('!Type:Invst is investment activity, signed like OFX, never cash', () => {
    const st = parse('qif-invest.qif');
    const acc = st.accounts[0];
    assert.deepEqual([acc.kind, acc.type, acc.transactions.length], ['investment', 'investment', 0]);
    assert.deepEqual(acc.investment!.transactions.map((t) => [t.action, t.date, t.security?.ticker, t.units, t.unitPrice, t.total]), [
      ['buy', '2024-01-10', 'VTSAX', '10', '110.50', '-1105.00'],
      ['div', '2024-03-31', 'VTSAX', undefined, undefined, '12.34'],
      ['sell', '2024-04-02', 'VTSAX', '-2.5', '120.00', '300.00'],
    ]);
    assert.match(investmentRefusal(st)!, /^This is an investment statement for an account \(3 investment transactions, 0 positions\)/);
  });

  it('derived ids are stable across parses and change with the account key', () => {
    const a = parse('qif-date-styles.qif').accounts[0].transactions.map((t) => t.externalId);
    const b = parse('qif-date-styles.qif').accounts[0].transactions.map((t) => t.externalId);
    const c = parseStatement(own('qif-date-styles.qif'), { accountKey: 'acct-42' }).accounts[0].transactions.map((t) => t.externalId);
    assert.deepEqual(a, b);
    assert.equal(new Set(a).size, a.length);
    assert.ok(a.every((id, i) => id !== c[i]));
  });

  it('a file with headers but no transactions is refused plainly', () => {
    assert.throws(() => parseQif('!Type:Cat\nNGroceries\n^\n'), (e: unknown) => e instanceof StatementError && e.code === 'no-accounts');
  });
});
