// Idempotency-Key on the import API's creating POSTs (plugin-sdk/idempotency.ts): an upload retried
// with the same key and body answers the first answer and keeps no second import; a confirm retried
// answers the same import and job and starts no second job; the same key with another request is a
// 422; a refused request keeps neither an import nor the key; keys are per household; the OpenAPI
// document names the header on those routes only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { createAccount, importCount, importKernel, PLAIN_CSV_MAPPING } from './support.ts';

const CSV = 'date,amount,payee\n2024-01-05,-3.00,Shop\n2024-01-06,-4.00,Cafe\n';
const content = (text: string) => Buffer.from(text).toString('base64');

describe('Idempotency-Key on the import API', () => {
  let t: TestKernel;
  let s: TestSession;
  before(async () => {
    t = await importKernel();
    s = await t.signUp();
  });
  after(() => t?.close());

  const withKey = (who: TestSession, path: string, body: unknown, key: string) =>
    who.client.api('POST', path, body, { headers: { 'x-csrf-token': who.client.csrf, 'idempotency-key': key } });
  const ledgerCount = (who: TestSession) =>
    t.asHousehold(who.householdId, (tx) => tx`select count(*)::int as n from ledger.transactions`).then(([r]) => r.n as number);

  it('an upload retried with its key answers the same import, once; another body with the key is refused', async () => {
    const body = { filename: 'a.csv', content: content(CSV), csvMapping: PLAIN_CSV_MAPPING };
    const first = await withKey(s, '/api/v1/import/imports', body, 'upload-1');
    assert.equal(first.status, 201, first.text);
    assert.equal(await importCount(t, s), 1);
    const again = await withKey(s, '/api/v1/import/imports', body, 'upload-1');
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json().id, first.json().id);
    assert.deepEqual(again.json(), first.json());
    assert.equal(await importCount(t, s), 1);

    const other = await withKey(s, '/api/v1/import/imports', { ...body, filename: 'b.csv' }, 'upload-1');
    assert.equal(other.status, 422, other.text);
    assert.match(other.json().detail, /Idempotency-Key was used with a different request/);
    assert.equal(await importCount(t, s), 1);

    // A new key (or none) is a new upload.
    const fresh = await withKey(s, '/api/v1/import/imports', body, 'upload-2');
    assert.equal(fresh.status, 201, fresh.text);
    assert.notEqual(fresh.json().id, first.json().id);
    assert.equal(await importCount(t, s), 2);
    // The same key in another household is that household's own.
    const bob = await t.signUp();
    const theirs = await withKey(bob, '/api/v1/import/imports', body, 'upload-1');
    assert.equal(theirs.status, 201, theirs.text);
    assert.notEqual(theirs.json().id, first.json().id);
    assert.deepEqual([await importCount(t, bob), await importCount(t, s)], [1, 2]);
  });

  it('a refused upload keeps neither the import nor the key', async () => {
    const before = await importCount(t, s);
    const bad = { filename: 'bad.ofx', content: content('<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST><STMTTRN>') };
    const refused = await withKey(s, '/api/v1/import/imports', bad, 'upload-bad');
    assert.equal(refused.status, 422, refused.text);
    const accountId = await createAccount(t, s, 'Closed soon');
    await t.asHousehold(s.householdId, (tx) => tx`update ledger.accounts set closed = true where id = ${accountId}`);
    const closed = await withKey(s, '/api/v1/import/imports', { filename: 'a.csv', content: content(CSV), accountId }, 'upload-closed');
    assert.equal(closed.status, 400, closed.text);
    assert.equal(await importCount(t, s), before);
    // The keys were not kept: a corrected request under one is made.
    const fixed = await withKey(s, '/api/v1/import/imports', { filename: 'a.csv', content: content(CSV), csvMapping: PLAIN_CSV_MAPPING }, 'upload-bad');
    assert.equal(fixed.status, 201, fixed.text);
    assert.equal(await importCount(t, s), before + 1);
  });

  it('a confirm retried with its key answers the same import and job and writes the rows once', async () => {
    const up = await withKey(s, '/api/v1/import/imports', { filename: 'c.csv', content: content('date,amount,payee\n2024-02-01,-7.00,Bakery\n'), csvMapping: PLAIN_CSV_MAPPING }, 'upload-c');
    const id = up.json().id;
    const other = (await withKey(s, '/api/v1/import/imports', { filename: 'd.csv', content: content('date,amount,payee\n2024-02-02,-8.00,Deli\n'), csvMapping: PLAIN_CSV_MAPPING }, 'upload-d')).json().id;
    const rowsBefore = await ledgerCount(s);

    const first = await withKey(s, `/api/v1/import/imports/${id}/confirm`, {}, 'confirm-c');
    assert.equal(first.status, 202, first.text);
    assert.ok(first.json().jobId);
    await t.waitForJob(s.householdId, first.json().jobId);
    const again = await withKey(s, `/api/v1/import/imports/${id}/confirm`, {}, 'confirm-c');
    assert.equal(again.status, 202, again.text);
    assert.deepEqual([again.json().id, again.json().jobId, again.json().status], [id, first.json().jobId, 'done']);
    assert.equal(await ledgerCount(s), rowsBefore + 1);

    // The same key on another import, or with another body, is another request: refused, nothing queued.
    const elsewhere = await withKey(s, `/api/v1/import/imports/${other}/confirm`, {}, 'confirm-c');
    assert.equal(elsewhere.status, 422, elsewhere.text);
    const changed = await withKey(s, `/api/v1/import/imports/${id}/confirm`, { forcedLines: [2] }, 'confirm-c');
    assert.equal(changed.status, 422, changed.text);
    assert.equal((await s.api('GET', `/api/v1/import/imports/${other}`)).json().status, 'ready');
    // Without a key a second confirmation is still a conflict.
    assert.equal((await s.api('POST', `/api/v1/import/imports/${id}/confirm`, {})).status, 409);
  });

  it('a retry retried with its key answers the same job; without a key a second retry is a conflict', async () => {
    const accountId = await createAccount(t, s, 'Savings');
    const up = await withKey(s, '/api/v1/import/imports', { filename: 'e.csv', content: content('date,amount,payee\n2024-03-01,-9.00,Florist\n'), csvMapping: PLAIN_CSV_MAPPING, accountId }, 'upload-e');
    const id = up.json().id;
    // As if its job had failed for good (the file is kept for a retry).
    await t.asHousehold(s.householdId, (tx) => tx`update import.imports set status = 'failed', error = 'simulated' where id = ${id}`);
    const first = await withKey(s, `/api/v1/import/imports/${id}/retry`, {}, 'retry-e');
    assert.equal(first.status, 202, first.text);
    await t.waitForJob(s.householdId, first.json().jobId);
    const again = await withKey(s, `/api/v1/import/imports/${id}/retry`, {}, 'retry-e');
    assert.equal(again.status, 202, again.text);
    assert.deepEqual([again.json().jobId, again.json().status, again.json().result.added], [first.json().jobId, 'done', 1]);
    assert.equal((await s.api('POST', `/api/v1/import/imports/${id}/retry`, {})).status, 409);
  });

  it('the OpenAPI document names the Idempotency-Key header on the creating POSTs, and only there', async () => {
    const doc = (await s.api('GET', '/api/v1/openapi.json')).json();
    const header = (path: string, method: string) =>
      (doc.paths[path]?.[method]?.parameters ?? []).some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'Idempotency-Key');
    for (const path of ['/api/v1/import/imports', '/api/v1/import/imports/{id}/confirm', '/api/v1/import/imports/{id}/retry']) assert.ok(header(path, 'post'), path);
    for (const path of ['/api/v1/import/imports/{id}/preview', '/api/v1/import/imports/{id}/csv']) assert.equal(header(path, 'post'), false, path);
    assert.equal(header('/api/v1/import/imports', 'get'), false);
    // The preview's categories are documented too.
    assert.match(JSON.stringify(doc.paths['/api/v1/import/imports'].post.responses), /category names this household has no category for/);
  });
});
