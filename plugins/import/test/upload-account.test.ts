// The account picked at upload must be the household's own open account: an unknown one, another
// household's or a closed one is refused (400 naming accountId) and nothing is kept, rather than
// the preview quietly proposing a new account made from the file.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { createAccount, fixture, importKernel, upload, PLAIN_CSV_MAPPING, importCount } from './support.ts';

const CSV = 'date,amount,payee\n2024-01-05,-3.00,Shop\n';

describe('the account picked at upload', () => {
  let t: TestKernel;
  let alice: TestSession;
  let bob: TestSession;
  before(async () => {
    t = await importKernel();
    alice = await t.signUp();
    bob = await t.signUp();
  });
  after(() => t?.close());

  const imports = (s: TestSession) => importCount(t, s);

  it('API: an unknown, another household\'s or a closed account is a 400 naming accountId; nothing is kept', async () => {
    const bobs = await createAccount(t, bob, 'Bob checking');
    const closed = await createAccount(t, alice, 'Old');
    await t.asHousehold(alice.householdId, (tx) => tx`update ledger.accounts set closed = true where id = ${closed}`);
    for (const accountId of [randomUUID(), bobs, closed]) {
      for (const u of [
        { filename: 'a.csv', bytes: CSV, csvMapping: PLAIN_CSV_MAPPING, accountId },
        { filename: 'a.csv', bytes: CSV, accountId },
        { filename: 'a.ofx', bytes: fixture('shared/ofxparse/checking.ofx'), accountId },
      ]) {
        const res = await upload(alice, u);
        assert.equal(res.status, 400, `${u.filename}: ${res.text}`);
        assert.equal(res.json().detail, `accountId: no open account ${accountId} in this household`);
      }
    }
    assert.equal(await imports(alice), 0);
    assert.equal(await imports(bob), 0);
  });

  it('API: the household\'s own open account is the target', async () => {
    const acc = await createAccount(t, alice, 'Checking');
    const res = await upload(alice, { filename: 'a.csv', bytes: CSV, csvMapping: PLAIN_CSV_MAPPING, accountId: acc });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual([res.json().preview.accounts[0].target.kind, res.json().preview.accounts[0].target.accountId], ['account', acc]);
  });

  it('upload page: an unknown account is refused with the message, the other choices kept, nothing stored', async () => {
    const before = await imports(alice);
    for (const accountId of [randomUUID(), 'not-an-id']) {
      const body = new FormData();
      body.set('_csrf', alice.client.csrf);
      body.set('accountId', accountId);
      body.set('encoding', 'windows-1252');
      body.set('file', new Blob([fixture('shared/ofxparse/checking.ofx')]), 'checking.ofx');
      const res = await alice.client.request('POST', '/p/import/imports', { body });
      assert.equal(res.status, 400, res.text);
      assert.match(res.text, new RegExp(`id="p-import-error"[^>]*>accountId: no open account ${accountId} in this household`));
      assert.match(res.text, /<option value="windows-1252" selected>/);
    }
    assert.equal(await imports(alice), before);
  });
});
