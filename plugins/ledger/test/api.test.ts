// The ledger's JSON API over real HTTP: CRUD of accounts, transactions and categories, cursor
// pagination, Idempotency-Key on creates, the viewer's read-only access, and the OpenAPI document.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';

const A = '/api/v1/ledger';

describe('ledger API', () => {
  let t: TestKernel;
  let alice: TestSession;
  const withKey = (s: TestSession, path: string, body: unknown, key: string) =>
    s.client.api('POST', path, body, { headers: { 'x-csrf-token': s.client.csrf, 'idempotency-key': key } });

  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url) }] });
    alice = await t.signUp({ household: { baseCurrency: 'USD' } });
  });
  after(() => t?.close());

  test('accounts: create, get, list by type with a cursor, update, delete', async () => {
    const made = [];
    for (const [name, type] of [['Checking', 'depository'], ['Savings', 'depository'], ['Card', 'credit']] as const) {
      const r = await alice.api('POST', `${A}/accounts`, { name, type, currency: 'USD', balance: '100.50' });
      assert.equal(r.status, 201, r.text);
      made.push(r.json());
    }
    assert.equal(made[2].classification, 'liability');
    const got = await alice.api('GET', `${A}/accounts/${made[0].id}`);
    assert.equal(got.json().balance, '100.50');

    const first = (await alice.api('GET', `${A}/accounts?type=depository&limit=1`)).json();
    assert.deepEqual(first.items.map((a: { name: string }) => a.name), ['Checking']);
    const second = (await alice.api('GET', `${A}/accounts?type=depository&limit=1&cursor=${first.nextCursor}`)).json();
    assert.deepEqual(second.items.map((a: { name: string }) => a.name), ['Savings']);
    assert.equal(second.nextCursor, null);

    const renamed = await alice.api('PATCH', `${A}/accounts/${made[1].id}`, { name: 'Rainy day', balance: '7.25' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.json().name, 'Rainy day');
    assert.equal(renamed.json().balance, '7.25');
    assert.equal((await alice.api('PATCH', `${A}/accounts/${made[1].id}`, { nickname: 'x' })).status, 400, 'strict body');

    assert.equal((await alice.api('DELETE', `${A}/accounts/${made[2].id}`)).status, 204);
    assert.equal((await alice.api('GET', `${A}/accounts/${made[2].id}`)).status, 404);

    // The last item a page served is deleted before the next page is asked for: the cursor still works.
    const extra = (await alice.api('POST', `${A}/accounts`, { name: 'Zeta', type: 'depository', currency: 'USD' })).json();
    const p1 = (await alice.api('GET', `${A}/accounts?type=depository&limit=1`)).json();
    assert.deepEqual(p1.items.map((a: { name: string }) => a.name), ['Checking']);
    assert.equal((await alice.api('DELETE', `${A}/accounts/${p1.items[0].id}`)).status, 204);
    const p2 = await alice.api('GET', `${A}/accounts?type=depository&limit=1&cursor=${p1.nextCursor}`);
    assert.equal(p2.status, 200, p2.text);
    assert.deepEqual(p2.json().items.map((a: { name: string }) => a.name), ['Rainy day']);
    const p3 = (await alice.api('GET', `${A}/accounts?type=depository&limit=1&cursor=${p2.json().nextCursor}`)).json();
    assert.deepEqual([p3.items[0].id, p3.nextCursor], [extra.id, null]);
    assert.equal((await alice.api('GET', `${A}/accounts?cursor=bm9wZQ`)).status, 400, 'a made-up cursor is refused');
  });

  test('transactions: created, listed newest first across cursor pages, filtered, edited, deleted', async () => {
    const acct = (await alice.api('POST', `${A}/accounts`, { name: 'Wallet', type: 'depository', currency: 'USD' })).json();
    const ids: string[] = [];
    for (let d = 1; d <= 5; d++) {
      const r = await alice.api('POST', `${A}/transactions`, { accountId: acct.id, date: `2026-01-0${d}`, amount: `-${d}.10`, payee: `Shop ${d}`, notes: d === 3 ? 'birthday gift' : undefined });
      assert.equal(r.status, 201, r.text);
      ids.push(r.json().id);
    }
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const r = await alice.api('GET', `${A}/transactions?accountId=${acct.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200, r.text);
      const body = r.json();
      seen.push(...body.items.map((x: { id: string }) => x.id));
      cursor = body.nextCursor;
      pages++;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...ids].reverse());
    assert.equal((await alice.api('GET', `${A}/accounts/${acct.id}`)).json().balance, '-15.50');

    const search = (await alice.api('GET', `${A}/transactions?q=BIRTHDAY`)).json();
    assert.deepEqual(search.items.map((x: { id: string }) => x.id), [ids[2]]);
    const range = (await alice.api('GET', `${A}/transactions?accountId=${acct.id}&minAmount=-3&maxAmount=-2`)).json();
    assert.deepEqual(range.items.map((x: { payee: string }) => x.payee), ['Shop 2']);
    assert.equal((await alice.api('GET', `${A}/transactions?bogus=1`)).status, 400);

    const edited = await alice.api('PATCH', `${A}/transactions/${ids[0]}`, { amount: '-10.10', tags: ['food'] });
    assert.equal(edited.status, 200, edited.text);
    assert.deepEqual(edited.json().tags, ['food']);
    assert.equal((await alice.api('GET', `${A}/accounts/${acct.id}`)).json().balance, '-24.50');
    assert.equal((await alice.api('DELETE', `${A}/transactions/${ids[0]}`)).status, 204);
    assert.equal((await alice.api('GET', `${A}/transactions/${ids[0]}`)).status, 404);
    assert.equal((await alice.api('GET', `${A}/accounts/${acct.id}`)).json().balance, '-14.40');
  });

  test('categories: create a group and a category, rename, hide, merge, delete', async () => {
    const group = (await alice.api('POST', `${A}/categories`, { name: 'Hobbies' })).json();
    const c1 = (await alice.api('POST', `${A}/categories`, { name: 'Music', parentId: group.id })).json();
    const c2 = (await alice.api('POST', `${A}/categories`, { name: 'Books', parentId: group.id })).json();
    assert.equal(c1.parentId, group.id);
    assert.equal((await alice.api('GET', `${A}/categories/${c1.id}`)).json().name, 'Music');
    assert.equal((await alice.api('PATCH', `${A}/categories/${c1.id}`, { name: 'Concerts' })).json().name, 'Concerts');
    assert.equal((await alice.api('PATCH', `${A}/categories/${c2.id}`, { hidden: true })).json().hidden, true);
    const visible = (await alice.api('GET', `${A}/categories?limit=500`)).json().items.map((c: { id: string }) => c.id);
    assert.ok(visible.includes(c1.id) && !visible.includes(c2.id));

    const acct = (await alice.api('POST', `${A}/accounts`, { name: 'Merge test', type: 'depository', currency: 'USD' })).json();
    const txn = (await alice.api('POST', `${A}/transactions`, { accountId: acct.id, date: '2026-02-01', amount: '-9', categoryId: c2.id })).json();
    const merged = await alice.api('POST', `${A}/categories/merge`, { fromId: c2.id, intoId: c1.id });
    assert.equal(merged.status, 200, merged.text);
    assert.equal((await alice.api('GET', `${A}/transactions/${txn.id}`)).json().categoryId, c1.id);
    assert.equal((await alice.api('GET', `${A}/categories/${c2.id}`)).status, 404);
    assert.equal((await alice.api('DELETE', `${A}/categories/${group.id}`)).status, 204);
    assert.equal((await alice.api('GET', `${A}/transactions/${txn.id}`)).json().categoryId, null);
  });

  test('Idempotency-Key: the same key and body answer the first result once; another body is refused', async () => {
    const body = { name: 'Brokerage', type: 'investment', currency: 'USD' };
    const one = await withKey(alice, `${A}/accounts`, body, 'key-1');
    const two = await withKey(alice, `${A}/accounts`, body, 'key-1');
    assert.equal(one.status, 201, one.text);
    assert.equal(two.status, 201);
    assert.equal(two.json().id, one.json().id);
    const list = (await alice.api('GET', `${A}/accounts?type=investment`)).json();
    assert.equal(list.items.length, 1);
    assert.equal((await withKey(alice, `${A}/accounts`, { ...body, name: 'Other' }, 'key-1')).status, 422);

    const txBody = { accountId: one.json().id, date: '2026-03-01', amount: '-1.00' };
    const [a, b] = await Promise.all([withKey(alice, `${A}/transactions`, txBody, 'tx-1'), withKey(alice, `${A}/transactions`, txBody, 'tx-1')]);
    assert.equal(a.json().id, b.json().id, 'concurrent retries create one transaction');
    assert.equal((await alice.api('GET', `${A}/transactions?accountId=${one.json().id}`)).json().items.length, 1);
    const third = await withKey(alice, `${A}/transactions`, txBody, 'tx-2');
    assert.notEqual(third.json().id, a.json().id, 'a new key is a new transaction');

    // Keys belong to a household: another household's same key creates its own object.
    const bob = await t.signUp();
    const bobs = await withKey(bob, `${A}/accounts`, body, 'key-1');
    assert.equal(bobs.status, 201);
    assert.notEqual(bobs.json().id, one.json().id);
  });

  test('bulk tags beyond the 50 a transaction may hold: 400 naming addTags, nothing changed', async () => {
    const acct = (await alice.api('POST', `${A}/accounts`, { name: 'Tagged', type: 'depository', currency: 'USD' })).json();
    const full = Array.from({ length: 48 }, (_, i) => `t${i}`);
    const txn = await alice.api('POST', `${A}/transactions`, { accountId: acct.id, date: '2026-11-02', amount: '-1.00', tags: full });
    assert.equal(txn.status, 201, txn.text);
    const other = (await alice.api('POST', `${A}/transactions`, { accountId: acct.id, date: '2026-11-02', amount: '-2.00' })).json();
    const res = await alice.api('POST', `${A}/transactions/bulk`, { ids: [txn.json().id, other.id], addTags: ['x1', 'x2', 'x3'] });
    assert.equal(res.status, 400, res.text);
    assert.match(res.json().detail, /addTags: a transaction can have at most 50 tags/);
    assert.deepEqual((await alice.api('GET', `${A}/transactions/${txn.json().id}`)).json().tags, full);
    assert.deepEqual((await alice.api('GET', `${A}/transactions/${other.id}`)).json().tags, []);
    const fits = await alice.api('POST', `${A}/transactions/bulk`, { ids: [txn.json().id], addTags: ['x1', 't0', 'x2'] });
    assert.equal(fits.status, 200, fits.text);
    assert.equal((await alice.api('GET', `${A}/transactions/${txn.json().id}`)).json().tags.length, 50);
  });

  test('a balance summed past the 18 digits an amount may have is still answered as the document describes it', async () => {
    const acct = (await alice.api('POST', `${A}/accounts`, { name: 'Vault', type: 'depository', currency: 'USD', balance: '999999999999999999.99' })).json();
    assert.equal((await alice.api('POST', `${A}/transactions`, { accountId: acct.id, date: '2026-11-03', amount: '999999999999999999.99' })).status, 201);
    const got = (await alice.api('GET', `${A}/accounts/${acct.id}`)).json();
    assert.equal(got.balance, '1999999999999999999.98');
    const doc = (await alice.api('GET', '/api/v1/openapi.json')).json();
    const pattern = doc.paths[`${A}/accounts/{id}`].get.responses['200'].content['application/json'].schema.properties.balance.pattern;
    assert.match(got.balance, new RegExp(pattern), 'the documented pattern admits the answer');
    await alice.api('DELETE', `${A}/accounts/${acct.id}`);
  });

  test('a viewer reads but cannot write', async () => {
    const viewer = await t.join(alice, 'viewer');
    const acct = (await alice.api('POST', `${A}/accounts`, { name: 'Shared', type: 'depository', currency: 'USD' })).json();
    assert.equal((await viewer.api('GET', `${A}/accounts/${acct.id}`)).status, 200);
    assert.equal((await viewer.api('POST', `${A}/accounts`, { name: 'Nope', type: 'depository', currency: 'USD' })).status, 403);
    assert.equal((await viewer.api('PATCH', `${A}/accounts/${acct.id}`, { name: 'Nope' })).status, 403);
    assert.equal((await viewer.api('DELETE', `${A}/accounts/${acct.id}`)).status, 403);
    assert.equal((await viewer.api('POST', `${A}/transactions`, { accountId: acct.id, date: '2026-01-01', amount: '1' })).status, 403);
    assert.equal((await viewer.api('POST', `${A}/categories`, { name: 'Nope' })).status, 403);
    assert.equal((await alice.api('GET', `${A}/accounts/${acct.id}`)).json().name, 'Shared');
  });

  test('every route is in the OpenAPI document', async () => {
    const doc = (await alice.api('GET', '/api/v1/openapi.json')).json();
    for (const p of ['/accounts', '/accounts/{id}', '/transactions', '/transactions/{id}', '/transactions/bulk', '/categories', '/categories/{id}', '/categories/merge']) {
      assert.ok(doc.paths[`${A}${p}`], `${p} documented`);
    }
    assert.ok(doc.paths[`${A}/transactions`].get.parameters.some((p: { name: string }) => p.name === 'cursor'));
  });
});
