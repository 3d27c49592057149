// Household isolation of every ledger endpoint: a member of another household gets 404 for every
// read, update and delete of this household's accounts, transactions and categories, through the
// API and the pages, cannot reach them through references (account of a new transaction, parent of
// a category, merge, bulk), and never sees them in lists. Afterwards everything is unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';

const A = '/api/v1/ledger';
const P = '/p/ledger';

describe('ledger isolation between households (API and pages)', () => {
  let t: TestKernel;
  let alice: TestSession;
  let bob: TestSession;
  let acct: { id: string; name: string; balance: string };
  let txn: { id: string; amount: string; categoryId: string | null; tags: string[] };
  let group: { id: string; name: string };
  let cat: { id: string; name: string };

  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url) }] });
    alice = await t.signUp({ household: { baseCurrency: 'USD' } });
    bob = await t.signUp({ household: { baseCurrency: 'USD' } });
    acct = (await alice.api('POST', `${A}/accounts`, { name: 'Alice private', type: 'depository', currency: 'USD', balance: '10' })).json();
    group = (await alice.api('POST', `${A}/categories`, { name: 'Alice group' })).json();
    cat = (await alice.api('POST', `${A}/categories`, { name: 'Alice cat', parentId: group.id })).json();
    txn = (await alice.api('POST', `${A}/transactions`, { accountId: acct.id, date: '2026-01-02', amount: '-3.00', payee: 'Secret payee', categoryId: cat.id })).json();
  });
  after(() => t?.close());

  test('API: every read, update and delete of another household\'s object is 404', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', `${A}/accounts/${acct.id}`],
      ['PATCH', `${A}/accounts/${acct.id}`, { name: 'pwned' }],
      ['DELETE', `${A}/accounts/${acct.id}`],
      ['GET', `${A}/transactions/${txn.id}`],
      ['PATCH', `${A}/transactions/${txn.id}`, { notes: 'pwned' }],
      ['DELETE', `${A}/transactions/${txn.id}`],
      ['GET', `${A}/categories/${cat.id}`],
      ['PATCH', `${A}/categories/${cat.id}`, { name: 'pwned' }],
      ['DELETE', `${A}/categories/${group.id}`],
      ['POST', `${A}/transactions`, { accountId: acct.id, date: '2026-01-03', amount: '1' }],
      ['POST', `${A}/categories`, { name: 'Into alice', parentId: group.id }],
      ['POST', `${A}/categories/merge`, { fromId: cat.id, intoId: group.id }],
    ];
    for (const [method, path, body] of calls) {
      const r = await bob.api(method, path, body);
      assert.equal(r.status, 404, `${method} ${path}: ${r.status} ${r.text}`);
      assert.doesNotMatch(r.text, /Alice|Secret/);
    }
    // Bob's own category cannot receive Alice's transactions either.
    const bobCat = (await bob.api('POST', `${A}/categories`, { name: 'Bob group' })).json();
    assert.equal((await bob.api('POST', `${A}/categories/merge`, { fromId: cat.id, intoId: bobCat.id })).status, 404);
    assert.equal((await bob.api('PATCH', `${A}/transactions/${txn.id}`, { categoryId: bobCat.id })).status, 404);
    const bulk = await bob.api('POST', `${A}/transactions/bulk`, { ids: [txn.id], addTags: ['pwned'] });
    assert.equal(bulk.status, 200);
    assert.deepEqual(bulk.json().updated, []);
  });

  test("API: Mff-Household naming Alice's household is a 404 naming the header, not a hint to pick a household", async () => {
    const r = await bob.client.api('GET', `${A}/accounts`, undefined, { headers: { 'mff-household': alice.householdId } });
    assert.equal(r.status, 404, r.text);
    assert.deepEqual(r.json().errors, [{ field: 'header.Mff-Household', message: 'no household of yours has this id' }]);
    assert.doesNotMatch(r.text, /Alice/);
    const own = await bob.client.api('GET', `${A}/accounts`, undefined, { headers: { 'mff-household': bob.householdId } });
    assert.equal(own.status, 200, own.text);
  });

  test('API: lists show only the household\'s own objects', async () => {
    assert.deepEqual((await bob.api('GET', `${A}/accounts?includeClosed=true`)).json().items, []);
    assert.deepEqual((await bob.api('GET', `${A}/transactions?q=secret`)).json().items, []);
    assert.deepEqual((await bob.api('GET', `${A}/transactions?accountId=${acct.id}`)).json().items, []);
    const cats = (await bob.api('GET', `${A}/categories?includeHidden=true&limit=500`)).json().items.map((c: { id: string }) => c.id);
    assert.ok(!cats.includes(cat.id) && !cats.includes(group.id));
  });

  test('pages: another household\'s objects are 404 to read, edit and delete', async () => {
    for (const path of [`${P}/accounts/${acct.id}`, `${P}/transactions/${txn.id}`]) {
      const r = await bob.get(path);
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(r.text, /Alice private|Secret payee/);
    }
    const posts: [string, Record<string, string>][] = [
      [`${P}/accounts/${acct.id}`, { name: 'pwned', type: 'depository' }],
      [`${P}/accounts/${acct.id}/delete`, {}],
      [`${P}/transactions/${txn.id}`, { notes: 'pwned', categoryId: '' }],
      [`${P}/transactions/${txn.id}/category`, { categoryId: '' }],
      [`${P}/transactions/${txn.id}/delete`, {}],
      [`${P}/categories/${cat.id}`, { name: 'pwned' }],
      [`${P}/categories/${group.id}/delete`, {}],
      [`${P}/categories/merge`, { fromId: cat.id, intoId: group.id }],
      [`${P}/transactions`, { accountId: acct.id, date: '2026-01-03', amount: '1' }],
    ];
    for (const [path, fields] of posts) {
      const r = await bob.form(path, fields);
      assert.equal(r.status, 404, `POST ${path}: ${r.status}`);
    }
    const inline = await bob.htmx('POST', `${P}/transactions/${txn.id}/category`, { categoryId: '' });
    assert.equal(inline.status, 404);
    assert.equal((await bob.htmx('GET', `${P}/transactions/${txn.id}/category`)).status, 404);
    const body = new URLSearchParams([['_csrf', bob.client.csrf], ['ids', txn.id], ['addTags', 'pwned'], ['categoryId', 'none']]);
    await bob.client.request('POST', `${P}/transactions/bulk`, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.doesNotMatch((await bob.get(`${P}/transactions?q=secret`)).text, /Secret payee/);
    assert.doesNotMatch((await bob.get(`${P}/`)).text, /Alice private/);
    assert.doesNotMatch((await bob.get(`${P}/categories`)).text, /Alice cat/);
    assert.doesNotMatch((await bob.get(`${P}/_slot/home.card`, { 'hx-request': 'true' })).text, /Alice private/);
  });

  test('after all that, Alice\'s objects are exactly as they were', async () => {
    const a = (await alice.api('GET', `${A}/accounts/${acct.id}`)).json();
    assert.deepEqual([a.name, a.balance], ['Alice private', '7.00']);
    const x = (await alice.api('GET', `${A}/transactions/${txn.id}`)).json();
    assert.deepEqual([x.amount, x.categoryId, x.tags, x.notes], ['-3.00', cat.id, [], null]);
    assert.equal((await alice.api('GET', `${A}/categories/${cat.id}`)).json().name, 'Alice cat');
    assert.equal((await alice.api('GET', `${A}/categories/${group.id}`)).json().name, 'Alice group');
  });
});
