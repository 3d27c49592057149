// Every statement in ../shared/fixtures/statements (copies in test-fixtures/shared) imported end to
// end through HTTP: upload → preview → confirm → job → ledger rows, with the dates, amounts,
// payees and account asserted; the investment statement is refused at upload and writes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { fixture, importFile, importKernel, ledgerRows, upload } from './support.ts';

const brief = (r: Record<string, unknown>) => [r.date, r.amount, r.payee, r.description];

describe('shared statement fixtures, end to end', () => {
  let t: TestKernel;
  let s: TestSession;
  before(async () => {
    t = await importKernel();
    s = await t.signUp();
  });
  after(() => t?.close());

  const account = (id: string) => t.asHousehold(s.householdId, (tx) => tx`
    select name, type, subtype, currency, source, external_id, mask, balance::text as balance from ledger.accounts where id = ${id}`).then((r) => r[0]);

  it('actual/data-payee-memo.ofx: a new checking account from the file, four debits with payee and memo apart', async () => {
    const { preview, done } = await importFile(t, s, { filename: 'data-payee-memo.ofx', bytes: fixture('shared/actual/data-payee-memo.ofx') });
    assert.deepEqual(preview.totals, { rows: 4, toAdd: 4, duplicates: 0, failed: 0 });
    assert.equal(preview.accounts[0].target.kind, 'new');
    assert.equal(done.status, 'done');
    assert.equal(done.result.added, 4);
    const accountId = done.result.accounts[0].accountId;
    assert.deepEqual(await account(accountId), {
      name: 'Checking …9123', type: 'depository', subtype: 'checking', currency: 'USD', source: 'import',
      external_id: 'ofx:012345678:123456789123', mask: '9123', balance: '1000.00',
    });
    const rows = await ledgerRows(t, s, accountId);
    assert.deepEqual(rows.map(brief), [
      ['2019-01-23', '-40.00', null, null],
      ['2019-01-23', '-30.00', null, 'Memo Only Text'],
      ['2019-01-23', '-20.00', 'Payee Name Only', null],
      ['2019-01-23', '-10.00', 'Payee Name', 'Memo Text'],
    ]);
    assert.deepEqual(rows.map((r) => r.external_id).sort(), ['test-memo-only', 'test-name-and-memo', 'test-name-only', 'test-neither']);
    assert.ok(rows.every((r) => r.currency === 'USD' && r.source === 'import'));
  });

  it('actual/data-payee-memo.qif: into an account chosen at upload, month-first dates', async () => {
    const [acc] = await t.asHousehold(s.householdId, (tx) => tx`
      insert into ledger.accounts (household_id, name, type, currency, source) values (${s.householdId}, 'QIF checking', 'depository', 'USD', 'manual') returning id`);
    const { done } = await importFile(t, s, { filename: 'data-payee-memo.qif', bytes: fixture('shared/actual/data-payee-memo.qif'), accountId: acc.id });
    assert.equal(done.result.added, 4);
    assert.equal(done.result.accounts[0].accountId, acc.id);
    const rows = await ledgerRows(t, s, acc.id);
    assert.deepEqual(rows.map(brief), [
      ['2019-01-23', '-40.00', null, null],
      ['2019-01-23', '-30.00', null, 'Note Only Text'],
      ['2019-01-23', '-20.00', 'Payee Name Only', null],
      ['2019-01-23', '-10.00', 'Payee Name', 'Note Text'],
    ]);
    assert.ok(rows.every((r) => String(r.external_id).startsWith('h1:')));
  });

  it('actual/data-with-categories.qif: two-digit years; a new account in the household currency', async () => {
    const { done } = await importFile(t, s, { filename: 'data-with-categories.qif', bytes: fixture('shared/actual/data-with-categories.qif') });
    const accountId = done.result.accounts[0].accountId;
    const acc = await account(accountId);
    assert.deepEqual([acc.name, acc.currency, acc.type], ['data-with-categories', 'EUR', 'depository']);
    const rows = await ledgerRows(t, s, accountId);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((r) => [r.date, r.amount, r.payee]).find((r) => r[2] === 'Outlet'), ['2018-12-19', '-100.58', 'Outlet']);
    assert.deepEqual(rows.map((r) => [r.date, r.amount, r.payee]).find((r) => r[2] === 'RestaurantExample'), ['2018-12-19', '-40.60', 'RestaurantExample']);
    assert.ok(rows.every((r) => r.currency === 'EUR'));
  });

  it('actual/data-payee-memo.csv: mapping step (suggested mapping), preview, then the four rows', async () => {
    const up = await upload(s, { filename: 'data-payee-memo.csv', bytes: fixture('shared/actual/data-payee-memo.csv') });
    assert.equal(up.status, 201);
    assert.equal(up.json().status, 'mapping');
    const id = up.json().id;
    const step = (await s.api('POST', `/api/v1/import/imports/${id}/csv`, {})).json();
    assert.deepEqual(step.headers, ['date', 'amount', 'payee', 'notes']);
    assert.deepEqual(step.rows.map((r: any) => [r.line, r.transaction.date, r.transaction.amount, r.transaction.payee ?? null]), [
      [2, '2019-01-23', '-10.00', 'Payee Name'], [3, '2019-01-23', '-20.00', 'Payee Name Only'], [4, '2019-01-23', '-30.00', null], [5, '2019-01-23', '-40.00', null],
    ]);
    const prepared = await s.api('POST', `/api/v1/import/imports/${id}/preview`, { csvMapping: step.suggestion.mapping });
    assert.equal(prepared.status, 200, prepared.text);
    assert.equal(prepared.json().status, 'ready');
    assert.deepEqual(prepared.json().preview.totals, { rows: 4, toAdd: 4, duplicates: 0, failed: 0 });
    const confirmed = await s.api('POST', `/api/v1/import/imports/${id}/confirm`, {});
    await t.waitForJob(s.householdId, confirmed.json().jobId);
    const done = (await s.api('GET', `/api/v1/import/imports/${id}`)).json();
    assert.equal(done.result.added, 4);
    const rows = await ledgerRows(t, s, done.result.accounts[0].accountId);
    assert.deepEqual(rows.map(brief), [
      ['2019-01-23', '-40.00', null, null],
      ['2019-01-23', '-30.00', null, 'Note Only Text'],
      ['2019-01-23', '-20.00', 'Payee Name Only', null],
      ['2019-01-23', '-10.00', 'Payee Name', 'Note Text'],
    ]);
  });

  it('actual/utf-8.qfx: QFX in UTF-8, accents and euro sign intact, CAD account', async () => {
    const { done } = await importFile(t, s, { filename: 'utf-8.qfx', bytes: fixture('shared/actual/utf-8.qfx') });
    const accountId = done.result.accounts[0].accountId;
    const acc = await account(accountId);
    assert.deepEqual([acc.currency, acc.external_id, acc.balance], ['CAD', 'ofx:700012345:999-12345-0055666-EOP', '9999.99']);
    const rows = await ledgerRows(t, s, accountId);
    assert.deepEqual(rows.map(brief), [['2022-10-19', '-20.00', 'Café Métro €uro', 'Paiement 5€ — débit']]);
    assert.equal(rows[0].external_id, 'cafeUtf8xx');
  });

  it('ofxparse/bank_medium.ofx: three rows, dates as written, check number', async () => {
    const { done } = await importFile(t, s, { filename: 'bank_medium.ofx', bytes: fixture('shared/ofxparse/bank_medium.ofx') });
    const rows = await ledgerRows(t, s, done.result.accounts[0].accountId);
    assert.deepEqual(rows.map((r) => [r.date, r.amount, r.payee, r.currency]), [
      ['2009-04-01', '-6.60', "MCDONALD'S #112", 'CAD'],
      ['2009-04-02', '-316.67', "Joe's Bald Hairstyles", 'CAD'],
      ['2009-04-03', '-22.00', "CONNIE'S HAIR D", 'CAD'],
    ]);
    assert.equal((await account(done.result.accounts[0].accountId)).balance, '382.34');
  });

  it('ofxparse/checking.ofx: three rows, closing balance recorded', async () => {
    const { done } = await importFile(t, s, { filename: 'checking.ofx', bytes: fixture('shared/ofxparse/checking.ofx') });
    const accountId = done.result.accounts[0].accountId;
    const rows = await ledgerRows(t, s, accountId);
    assert.deepEqual(rows.map((r) => [r.date, r.amount, r.payee]), [
      ['2011-03-31', '0.01', 'DIVIDEND EARNED FOR PERIOD OF 03'],
      ['2011-04-05', '-34.51', 'AUTOMATIC WITHDRAWAL, ELECTRIC BILL'],
      ['2011-04-07', '-25.00', 'RETURNED CHECK FEE, CHECK # 319'],
    ]);
    assert.equal((await account(accountId)).balance, '100.99');
    const [hist] = await t.asHousehold(s.householdId, (tx) => tx`select date::text, balance::text from ledger.account_balances where account_id = ${accountId}`);
    assert.deepEqual([hist.date, hist.balance], ['2013-05-25', '100.99']);
  });

  it('ofxparse/fail_nice_decimal_error.ofx: the unreadable transaction is a failed line with its reason; nothing else', async () => {
    const { preview, done } = await importFile(t, s, { filename: 'fail_nice_decimal_error.ofx', bytes: fixture('shared/ofxparse/fail_nice_decimal_error.ofx') });
    assert.deepEqual(preview.totals, { rows: 0, toAdd: 0, duplicates: 0, failed: 1 });
    assert.equal(done.result.added, 0);
    assert.equal(done.result.failed, 1);
    assert.equal(done.result.failures[0].line, 36);
    assert.match(done.result.failures[0].reason, /DTPOSTED '201120000000' is not a valid date.*TRNAMT '\$120' is not a valid amount \(line 37\)/);
    assert.equal((await ledgerRows(t, s, done.result.accounts[0].accountId)).length, 0);
  });

  it('ofxparse/investment_401k.ofx: refused at upload as an investment statement, never read as cash; nothing kept or written', async () => {
    const before = (await ledgerRows(t, s)).length;
    const kept = async () => (await s.api('GET', '/api/v1/import/imports')).json().imports.length;
    const uploads = await kept();
    const up = await upload(s, { filename: 'investment_401k.ofx', bytes: fixture('shared/ofxparse/investment_401k.ofx') });
    assert.equal(up.status, 422);
    const message = up.json().detail;
    assert.match(message, /^This is an investment statement for 12345678\.123456-01 \(3 investment transactions, 3 positions\)\. .*cannot be imported into any account\. Nothing was kept\.$/);
    // It suggests nothing that would not work: the ledger has no account that takes trades.
    assert.doesNotMatch(message, /instead|investment account/);
    // Pointed at an investment account, the answer is the same: the trades are not booked.
    const [acc] = await t.asHousehold(s.householdId, (tx) => tx`
      insert into ledger.accounts (household_id, name, type, currency, source) values (${s.householdId}, '401k', 'investment', 'USD', 'manual') returning id`);
    const forced = await upload(s, { filename: 'investment_401k.ofx', bytes: fixture('shared/ofxparse/investment_401k.ofx'), accountId: acc.id });
    assert.equal(forced.status, 422);
    assert.equal(forced.json().detail, message);
    assert.equal(await kept(), uploads, 'no upload is left waiting for a confirmation');
    assert.equal((await ledgerRows(t, s)).length, before);
  });
});
