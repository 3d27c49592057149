// Dates a bank statement cannot plausibly hold (0001-01-01, 9999-12-31) are failed lines naming
// their line, in every format: never a 500, never booked, never a duplicate window past year 9999.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { ofxLine, ofxStatement } from './ofx-text.ts';
import { confirmAndWait, createAccount, importKernel, ledgerRows, upload, PLAIN_CSV_MAPPING } from './support.ts';


describe('dates outside 1900-01-01 to 2199-12-31', () => {
  let t: TestKernel;
  let s: TestSession;
  before(async () => {
    t = await importKernel();
    s = await t.signUp();
  });
  after(() => t?.close());

  async function uploaded(u: Parameters<typeof upload>[1]) {
    const res = await upload(s, u);
    assert.equal(res.status, 201, res.text);
    return res.json();
  }

  it('CSV: 9999-12-31 and 0001-01-01 are failed lines with the reason; the other rows import', async () => {
    const acc = await createAccount(t, s, 'CSV');
    const csv = 'date,amount,payee\n9999-12-31,-1.00,Far\n0001-01-01,-2.00,Early\n2024-01-05,-3.00,Shop\n2199-12-31,-4.00,Edge\n';
    const imp = await uploaded({ filename: 'd.csv', bytes: csv, csvMapping: PLAIN_CSV_MAPPING, accountId: acc });
    assert.deepEqual(imp.preview.totals, { rows: 2, toAdd: 2, duplicates: 0, failed: 2 });
    assert.deepEqual(imp.preview.failures.map((f: any) => f.line), [2, 3]);
    assert.match(imp.preview.failures[0].reason, /^date 9999-12-31 is outside the dates an import accepts \(1900-01-01 to 2199-12-31\)$/);
    assert.match(imp.preview.failures[1].reason, /date 0001-01-01 is outside/);
    const done = await confirmAndWait(t, s, imp.id);
    assert.equal(done.status, 'done', done.error);
    assert.deepEqual([done.result.added, done.result.failed], [2, 2]);
    assert.deepEqual(done.result.failures.map((f: any) => f.line), [2, 3]);
    assert.deepEqual((await ledgerRows(t, s, acc)).map((r) => r.date), ['2024-01-05', '2199-12-31']);
  });

  it('OFX: a DTPOSTED of 9999-12-31 fails its line; an implausible DTUSER or balance date is not used', async () => {
    const ofx = ofxStatement([
      { posted: '99991231', amount: '-1.00', fitId: 'a', name: 'Far' },
      { posted: '20240105', user: '00010101', amount: '-2.00', fitId: 'b', name: 'Shop' },
    ], { amount: '100.00', asOf: '00010101' });
    const imp = await uploaded({ filename: 'd.ofx', bytes: ofx });
    assert.deepEqual(imp.preview.failures.map((f: any) => [f.line, f.reason]), [[ofxLine(0), 'date 9999-12-31 is outside the dates an import accepts (1900-01-01 to 2199-12-31)']]);
    const done = await confirmAndWait(t, s, imp.id);
    assert.equal(done.status, 'done', done.error);
    const accountId = done.result.accounts[0].accountId;
    const [row] = await t.asHousehold(s.householdId, (tx) => tx`select date::text, authorized_date::text from ledger.transactions where account_id = ${accountId}`);
    assert.deepEqual([row.date, row.authorized_date], ['2024-01-05', null]);
    const balances = await t.asHousehold(s.householdId, (tx) => tx`select date::text from ledger.account_balances where account_id = ${accountId}`);
    assert.ok(balances.length > 0 && balances.every((b) => b.date > '1900-01-01'), JSON.stringify(balances));
  });

  it('QIF: D12/31/9999 fails its line', async () => {
    const qif = '!Type:Bank\nD12/31/9999\nT-1.00\nPFar\n^\nD01/05/2024\nT-2.00\nPShop\n^\n';
    const imp = await uploaded({ filename: 'd.qif', bytes: qif });
    assert.deepEqual(imp.preview.failures.map((f: any) => f.line), [2]);
    assert.match(imp.preview.failures[0].reason, /9999-12-31 is outside/);
    assert.equal(imp.preview.totals.toAdd, 1);
  });

  it('the first and last accepted days still find their duplicates across the window', async () => {
    const acc = await createAccount(t, s, 'Edges');
    await t.asHousehold(s.householdId, (tx) => tx`
      insert into ledger.transactions (household_id, account_id, source, external_id, date, amount, currency, payee)
      values (${s.householdId}, ${acc}, 'manual', null, '1899-12-30', -5, 'USD', 'Old Shop'),
             (${s.householdId}, ${acc}, 'manual', null, '2200-01-02', -6, 'USD', 'New Shop')`);
    const csv = 'date,amount,payee\n1900-01-01,-5.00,Old Shop\n2199-12-31,-6.00,New Shop\n';
    const imp = await uploaded({ filename: 'e.csv', bytes: csv, csvMapping: PLAIN_CSV_MAPPING, accountId: acc });
    assert.deepEqual(imp.preview.totals, { rows: 2, toAdd: 0, duplicates: 2, failed: 0 });
  });
});
