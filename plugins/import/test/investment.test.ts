// Investment statements on the pages: a file of investment accounts only is refused at upload with
// its reason (no upload left "Waiting for confirmation" with an "Import 0 transactions" button); a
// file that also holds a bank account imports the bank account and lists the investment one as
// refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { ofxStatement } from './ofx-text.ts';
import { confirmAndWait, fixture, importKernel, ledgerRows, upload } from './support.ts';

/** A bank statement and, in the same file, a brokerage account with a dividend. */
const mixed = ofxStatement([{ posted: '20240105', amount: '-12.00', fitId: 'b1', name: 'Bakery' }]).replace('</OFX>', [
  '<INVSTMTMSGSRSV1><INVSTMTTRNRS><TRNUID>1<INVSTMTRS><DTASOF>20240331<CURDEF>USD',
  '<INVACCTFROM><BROKERID>broker.example.com<ACCTID>Z-1</INVACCTFROM>',
  '<INVTRANLIST><DTSTART>20240101<DTEND>20240331',
  '<INCOME><INVTRAN><FITID>T-1<DTTRADE>20240215<MEMO>Dividend</INVTRAN><SECID><UNIQUEID>000000001<UNIQUEIDTYPE>CUSIP</SECID><INCOMETYPE>DIV<TOTAL>8.40<SUBACCTSEC>CASH<SUBACCTFUND>CASH</INCOME>',
  '</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>',
].join('\n'));

describe('investment statements', () => {
  let t: TestKernel;
  let s: TestSession;
  before(async () => {
    t = await importKernel();
    s = await t.signUp();
  });
  after(() => t?.close());

  const postFile = (bytes: Buffer, name: string, fields: Record<string, string> = {}) => {
    const body = new FormData();
    body.set('_csrf', s.client.csrf);
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    body.set('file', new Blob([new Uint8Array(bytes)]), name);
    return s.client.request('POST', '/p/import/imports', { body });
  };

  it('the upload page refuses an investment-only file with its reason, into any account; nothing is left waiting', async () => {
    const [acc] = await t.asHousehold(s.householdId, (tx) => tx`
      insert into ledger.accounts (household_id, name, type, currency, source) values (${s.householdId}, 'Brokerage', 'investment', 'USD', 'manual') returning id`);
    for (const fields of [{}, { accountId: acc.id as string }] as Record<string, string>[]) {
      const res = await postFile(fixture('shared/ofxparse/investment_401k.ofx'), 'investment_401k.ofx', fields);
      assert.equal(res.status, 422);
      assert.match(res.text, /<p class="notice error" role="alert" id="p-import-error">This is an investment statement for 12345678\.123456-01 \(3 investment transactions, 3 positions\)\. [^<]*cannot be imported into any account\. Nothing was kept\.<\/p>/);
      assert.doesNotMatch(res.text, /instead/);
    }
    const qif = await postFile(fixture('own/qif-invest.qif'), 'invest.qif');
    assert.equal(qif.status, 422);
    assert.match(qif.text, /This is an investment statement for an account/);
    const list = await s.get('/p/import/');
    assert.doesNotMatch(list.text, /Waiting for confirmation/);
    assert.doesNotMatch(list.text, /investment_401k\.ofx|invest\.qif/);
  });

  it('a file with a bank and a brokerage account: the bank rows are imported, the brokerage is listed as refused', async () => {
    const up = await upload(s, { filename: 'mixed.ofx', bytes: mixed });
    assert.equal(up.status, 201, up.text);
    const imp = up.json();
    assert.deepEqual(imp.preview.accounts.map((a: { kind: string; target: { kind: string } }) => [a.kind, a.target.kind]), [['cash', 'new'], ['investment', 'skip']]);
    const page = await s.get(`/p/import/imports/${imp.id}`);
    assert.match(page.text, /<p class="notice error" role="alert">This is an investment statement for Z-1 \(1 investment transaction, 0 positions\)/);
    assert.match(page.text, /<button type="submit">Import 1 transaction<\/button>/);
    const done = await confirmAndWait(t, s, imp.id);
    assert.equal(done.result.added, 1);
    const rows = await ledgerRows(t, s);
    assert.deepEqual(rows.map((r) => [r.date, r.amount, r.payee]), [['2024-01-05', '-12.00', 'Bakery']]);
  });

  it('an upload kept before this refusal (investment only, waiting) offers no "Import 0 transactions"', async () => {
    const up = await upload(s, { filename: 'mixed2.ofx', bytes: mixed.replace('<FITID>b1', '<FITID>b2') });
    const id = up.json().id as string;
    // As it was stored then: the file's only account an investment one, refused.
    await t.asHousehold(s.householdId, (tx) => tx`
      update import.imports set preview = jsonb_set(preview, '{accounts}', (preview->'accounts') - 0) where id = ${id}`);
    const page = await s.get(`/p/import/imports/${id}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /Import 0 transactions/);
    assert.match(page.text, /<p id="p-import-nothing">Nothing in this file can be imported\. Discard this upload\.<\/p>/);
    assert.match(page.text, /Discard this upload<\/button>/);
  });
});
