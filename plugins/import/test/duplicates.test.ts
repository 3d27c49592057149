// Duplicate detection through HTTP against real ledger rows: by id (re-importing a file adds
// nothing, whatever its format), and by date + amount + payee against rows from other sources,
// with the user's "import anyway".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { createAccount, fixture, importFile, importKernel, ledgerRows, upload, PLAIN_CSV_MAPPING } from './support.ts';


describe('duplicates', () => {
  let t: TestKernel;
  before(async () => { t = await importKernel(); });
  after(() => t?.close());

  it('re-importing the same OFX adds nothing: the file account maps to the account made the first time, FITIDs match', async () => {
    const s = await t.signUp();
    const first = await importFile(t, s, { filename: 'a.ofx', bytes: fixture('shared/actual/data-payee-memo.ofx') });
    const again = await importFile(t, s, { filename: 'renamed.ofx', bytes: fixture('shared/actual/data-payee-memo.ofx') });
    assert.equal(again.preview.accounts[0].target.kind, 'account');
    assert.equal(again.preview.accounts[0].target.accountId, first.done.result.accounts[0].accountId);
    assert.deepEqual(again.preview.totals, { rows: 4, toAdd: 0, duplicates: 4, failed: 0 });
    assert.ok(again.preview.accounts[0].duplicateRows.every((r: any) => r.by === 'id'));
    assert.deepEqual([again.done.result.added, again.done.result.duplicates], [0, 4]);
    assert.equal((await ledgerRows(t, s)).length, 4);
  });

  it('re-importing the same CSV adds nothing: it goes where the same file went, derived ids match', async () => {
    const s = await t.signUp();
    const bytes = fixture('shared/actual/data-payee-memo.csv');
    const first = await importFile(t, s, { filename: 'x.csv', bytes, csvMapping: PLAIN_CSV_MAPPING });
    assert.equal(first.done.result.added, 4);
    const again = await importFile(t, s, { filename: 'x.csv', bytes, csvMapping: PLAIN_CSV_MAPPING });
    assert.equal(again.preview.accounts[0].target.accountId, first.done.result.accounts[0].accountId);
    assert.deepEqual([again.done.result.added, again.done.result.duplicates], [0, 4]);
    assert.equal((await ledgerRows(t, s)).length, 4);
  });

  it('the same statement as QIF after CSV into one account: same derived ids, nothing added', async () => {
    const s = await t.signUp();
    const acc = await createAccount(t, s, 'Checking');
    await importFile(t, s, { filename: 'x.csv', bytes: fixture('shared/actual/data-payee-memo.csv'), csvMapping: { ...PLAIN_CSV_MAPPING, memoColumn: 'notes' }, accountId: acc });
    const qif = await importFile(t, s, { filename: 'x.qif', bytes: fixture('shared/actual/data-payee-memo.qif'), accountId: acc });
    assert.deepEqual([qif.done.result.added, qif.done.result.duplicates], [0, 4]);
    assert.equal((await ledgerRows(t, s, acc)).length, 4);
  });

  it('by date + amount + payee against rows from another source, within the tolerance, one for one; "import anyway" adds it', async () => {
    const s = await t.signUp();
    const acc = await createAccount(t, s, 'Card');
    await t.asHousehold(s.householdId, (tx) => tx`
      insert into ledger.transactions (household_id, account_id, source, external_id, date, amount, currency, payee, description)
      values (${s.householdId}, ${acc}, 'plaid', 'p-1', '2024-03-02', -4.5, 'USD', 'Starbucks', 'POS 1234 STARBUCKS COFFEE #88'),
             (${s.householdId}, ${acc}, 'manual', null, '2024-03-10', -60, 'USD', 'Shell', null)`);
    const csv = [
      'date,amount,payee',
      '2024-03-04,-4.50,STARBUCKS COFFEE #88', // line 2: 2 days after the Plaid row, similar payee → duplicate
      '2024-03-04,-4.50,STARBUCKS COFFEE #88', // line 3: the same again, but the Plaid row is taken → added
      '2024-03-10,-60.00,Aral Tankstelle', // line 4: same amount and day as Shell, another payee → added
      '2024-03-16,-60.00,Shell', // line 5: Shell, but 6 days after → added
      '2024-03-11,-60.000,SHELL OIL 5541', // line 6: a day after, same amount written differently → duplicate
    ].join('\n');
    const up = await upload(s, { filename: 'card.csv', bytes: csv, csvMapping: PLAIN_CSV_MAPPING, accountId: acc });
    const p = up.json().preview;
    assert.deepEqual(p.totals, { rows: 5, toAdd: 3, duplicates: 2, failed: 0 });
    const dups = p.accounts[0].duplicateRows.map((r: any) => [r.line, r.by, r.existing.date, r.existing.payee]);
    assert.deepEqual(dups, [[2, 'similar', '2024-03-02', 'Starbucks'], [6, 'similar', '2024-03-10', 'Shell']]);
    assert.deepEqual(p.accounts[0].add.map((r: any) => r.line), [3, 4, 5]);

    // The user says line 6 is a different purchase: it is added too.
    const res = await s.api('POST', `/api/v1/import/imports/${up.json().id}/confirm`, { forcedLines: [6] });
    assert.equal(res.status, 202, res.text);
    await t.waitForJob(s.householdId, res.json().jobId);
    const done = (await s.api('GET', `/api/v1/import/imports/${up.json().id}`)).json();
    assert.deepEqual([done.result.added, done.result.duplicates], [4, 1]);
    const rows = await ledgerRows(t, s, acc);
    assert.deepEqual(rows.filter((r) => r.source === 'import').map((r) => [r.date, r.amount, r.payee]), [
      ['2024-03-04', '-4.50', 'STARBUCKS COFFEE #88'],
      ['2024-03-10', '-60.00', 'Aral Tankstelle'],
      ['2024-03-11', '-60.000', 'SHELL OIL 5541'],
      ['2024-03-16', '-60.00', 'Shell'],
    ]);
  });

  it('a tolerance of 0 days (household setting) makes the 2-day-apart coffee a new transaction', async () => {
    const s = await t.signUp();
    const saved = await s.form('/settings/plugins/import', { duplicateDays: '0', keepUploadHours: '24' });
    assert.ok([200, 303].includes(saved.status), `settings: ${saved.status}`);
    const acc = await createAccount(t, s, 'Card');
    await t.asHousehold(s.householdId, (tx) => tx`
      insert into ledger.transactions (household_id, account_id, source, external_id, date, amount, currency, payee)
      values (${s.householdId}, ${acc}, 'plaid', 'p-1', '2024-03-02', -4.5, 'USD', 'Starbucks')`);
    const up = await upload(s, { filename: 'c.csv', bytes: 'date,amount,payee\n2024-03-04,-4.50,Starbucks\n2024-03-02,-4.50,Starbucks\n', csvMapping: PLAIN_CSV_MAPPING, accountId: acc });
    assert.deepEqual(up.json().preview.totals, { rows: 2, toAdd: 1, duplicates: 1, failed: 0 });
    assert.equal(up.json().preview.accounts[0].duplicateRows[0].line, 3);
  });
});
