// The ledger's pages over real HTTP: empty states, accounts grouped with net worth, the account
// page, transactions with filters and "Load more", inline and bulk category edits, manual
// transactions, categories (rename, hide, merge), the home card, and the viewer's read-only view.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';

const A = '/api/v1/ledger';
const P = '/p/ledger';
const rowIds = (html: string) => [...html.matchAll(/<tr id="txn-([0-9a-f-]{36})"/g)].map((m) => m[1]);
const unescape = (s: string) => s.replaceAll('&amp;', '&').replaceAll('&#61;', '=').replaceAll('&#38;', '&');

describe('ledger pages', () => {
  let t: TestKernel;
  let alice: TestSession;

  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url) }] });
    alice = await t.signUp({ household: { baseCurrency: 'USD' } });
  });
  after(() => t?.close());

  test('empty states say what to do', async () => {
    const fresh = await t.signUp();
    const accounts = await fresh.get(`${P}/`);
    assert.equal(accounts.status, 200);
    assert.match(accounts.text, /id="accounts-empty"/);
    assert.match((await fresh.get(`${P}/transactions`)).text, /No transactions yet/);
    assert.match((await fresh.get(`${P}/transactions?q=zzz`)).text, /No transactions match these filters/);
    assert.match((await fresh.get(`${P}/_slot/home.card`, { 'hx-request': 'true' })).text, /No accounts yet/);
  });

  test('accounts: added with the form, grouped by type with net worth; the account page shows its balance', async () => {
    const made = await alice.form(`${P}/accounts`, { name: 'Everyday <Checking>', type: 'depository', currency: 'usd', balance: '1200.00', institution: '' });
    assert.equal(made.status, 303, made.text);
    const id = made.location!.split('/').pop()!;
    await alice.form(`${P}/accounts`, { name: 'Visa', type: 'credit', currency: 'USD', balance: '200.00' });
    const list = await alice.get(`${P}/`);
    assert.match(list.text, /<h2>Cash<\/h2>[\s\S]*Everyday &lt;Checking&gt;[\s\S]*<h2>Credit cards<\/h2>[\s\S]*Visa/);
    assert.match(list.text, /Net worth <strong><span class="amount">1,000\.00 USD<\/span>/);
    const one = await alice.get(`${P}/accounts/${id}`);
    assert.equal(one.status, 200);
    assert.match(one.text, /balance <strong><span class="amount">1,200\.00 USD/);
    assert.match(one.text, /No transactions in this account yet/);
    const bad = await alice.form(`${P}/accounts`, { name: '', type: 'depository', currency: 'USD' });
    assert.equal(bad.status, 422);
    const closed = (await alice.api('POST', `${A}/accounts`, { name: 'Old savings', type: 'depository', currency: 'USD' })).json();
    assert.equal((await alice.form(`${P}/accounts/${closed.id}`, { name: 'Old savings', type: 'depository', closed: 'true' })).status, 303);
    assert.doesNotMatch((await alice.get(`${P}/`)).text, /Old savings/);
    assert.match((await alice.get(`${P}/?closed=true`)).text, /Old savings<\/a>[^\n]*<mark>closed<\/mark>/);
    const badAccount = await alice.form(`${P}/accounts/${id}`, { name: 'Typed name', type: 'depository', institution: 'Bank', balance: '30,00' });
    assert.equal(badAccount.status, 422);
    assert.match(badAccount.text, /name="name" required maxlength="200" value="Typed name"/, 'the account form keeps the name as typed');
    assert.match(badAccount.text, /name="balance" inputmode="decimal" value="30,00"/);
    const edited = await alice.form(`${P}/accounts/${id}`, { name: 'Everyday', type: 'depository', institution: 'Bank', balance: '50' });
    assert.equal(edited.status, 303);
    assert.equal((await alice.api('GET', `${A}/accounts/${id}`)).json().balance, '50');
    const btc = (await alice.api('POST', `${A}/accounts`, { name: 'Cold wallet', type: 'crypto', currency: 'BTC', balance: '0.00012345' })).json();
    const big = (await alice.api('POST', `${A}/accounts`, { name: 'Brokerage', type: 'investment', currency: 'USD', balance: '1234567.891' })).json();
    const shown = (await alice.get(`${P}/`)).text;
    assert.match(shown, /<span class="amount">0\.00012345 BTC<\/span>/, 'never rounded');
    assert.match(shown, /<span class="amount">1,234,567\.891 USD<\/span>/, 'thousands grouped');
    for (const a of [btc, big]) await alice.api('DELETE', `${A}/accounts/${a.id}`);
    const card = await alice.get(`${P}/_slot/home.card`, { 'hx-request': 'true' });
    assert.match(card.text, /Net worth <strong><span class="amount negative">-150\.00 USD<\/span>/);
    assert.match(card.text, /Everyday<\/a> <span class="amount">50\.00 USD/);
    // Grouped by type, as on the accounts page: each type's label, then its accounts.
    const groups = [...card.text.matchAll(/<p class="ledger-card-group"><small class="muted">([^<]+)<\/small><\/p>\s*<ul class="ledger-card">([\s\S]*?)<\/ul>/g)]
      .map((m) => [m[1], [...m[2].matchAll(/">([^<]+)<\/a>/g)].map((a) => a[1])]);
    assert.ok(groups.length >= 2, `at least two types: ${JSON.stringify(groups)}`);
    assert.deepEqual(groups.find(([label]) => label === 'Cash')?.[1], ['Everyday']);
    assert.ok(groups.every(([, names]) => names.length > 0));
  });

  test('transactions: filters, negative amounts in red, and Load more returning the next rows in place', async () => {
    const acct = (await alice.api('POST', `${A}/accounts`, { name: 'Busy', type: 'depository', currency: 'USD' })).json();
    const ids: string[] = [];
    for (let i = 0; i < 55; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const month = i < 28 ? '01' : '02';
      const r = await alice.api('POST', `${A}/transactions`, {
        accountId: acct.id, date: `2026-${month}-${day}`, amount: i === 7 ? '250.00' : `-${i + 1}.00`,
        payee: i === 3 ? 'Corner Bakery' : `Store ${i}`, notes: i === 9 ? 'vacation souvenir' : undefined, pending: i === 11, tags: i === 12 ? ['trip'] : [],
      });
      ids.push(r.json().id);
    }
    const first = await alice.get(`${P}/transactions?accountId=${acct.id}`);
    assert.equal(first.status, 200);
    const firstRows = rowIds(first.text);
    assert.equal(firstRows.length, 50);
    assert.match(first.text, /class="amount negative">-55\.00 USD/);
    assert.match(first.text, /class="amount">250\.00 USD/);
    const more = first.text.match(/<a role="button" class="secondary" href="([^"]+)" hx-get="([^"]+)"/);
    assert.ok(more, 'a Load more link');
    const moreUrl = unescape(more[2]);
    const rest = await alice.get(moreUrl, { 'hx-request': 'true' });
    assert.equal(rest.status, 200);
    assert.doesNotMatch(rest.text, /<html|<table/, 'only rows');
    const restRows = rowIds(rest.text);
    assert.equal(restRows.length, 5);
    assert.doesNotMatch(rest.text, /Load more/);
    assert.deepEqual(new Set([...firstRows, ...restRows]), new Set(ids));
    const plain = await alice.get(unescape(more[1]));
    assert.match(plain.text, /<table/);
    assert.deepEqual(rowIds(plain.text), restRows, 'without JS the link is the next page');

    const accountPage = await alice.get(`${P}/accounts/${acct.id}`);
    assert.equal(rowIds(accountPage.text).length, 50);
    assert.match(accountPage.text, new RegExp(`hx-get="/p/ledger/transactions\\?accountId=${acct.id}&amp;cursor=`));
    assert.deepEqual(rowIds((await alice.get(`${P}/transactions?q=bakery`)).text), [ids[3]]);
    assert.deepEqual(rowIds((await alice.get(`${P}/transactions?q=SOUVENIR`)).text), [ids[9]]);
    assert.deepEqual(rowIds((await alice.get(`${P}/transactions?accountId=${acct.id}&minAmount=100`)).text), [ids[7]]);
    assert.deepEqual(rowIds((await alice.get(`${P}/transactions?pending=true`)).text), [ids[11]]);
    assert.deepEqual(rowIds((await alice.get(`${P}/transactions?tags=trip`)).text), [ids[12]]);
    assert.equal(rowIds((await alice.get(`${P}/transactions?accountId=${acct.id}&from=2026-01-01&to=2026-01-05`)).text).length, 5);
    assert.equal(rowIds((await alice.get(`${P}/transactions?accountId=${acct.id}&uncategorized=true`)).text).length, 50);
    const bad = await alice.get(`${P}/transactions?minAmount=abc`);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /role="alert"/);

    // The filters beyond search fold away until one is set; then they show, counted, with a way out.
    const plainList = (await alice.get(`${P}/transactions`)).text;
    assert.match(plainList, /<details>\s*<summary>More filters<\/summary>/);
    assert.doesNotMatch(plainList, /Clear search and filters/);
    const narrowed = (await alice.get(`${P}/transactions?q=bakery&accountId=${acct.id}&from=2026-01-01`)).text;
    assert.match(narrowed, /<details open>\s*<summary>More filters \(2 set\)<\/summary>/);
    assert.match(narrowed, /<a href="\/p\/ledger\/transactions">Clear search and filters<\/a>/);
    assert.match((await alice.get(`${P}/transactions?q=bakery`)).text, /<details>\s*<summary>More filters<\/summary>[\s\S]*Clear search and filters/);
  });

  test('inline category edit swaps the row; bulk sets a category and tags on the selected', async () => {
    const acct = (await alice.api('POST', `${A}/accounts`, { name: 'Cat test', type: 'depository', currency: 'USD' })).json();
    const group = (await alice.api('POST', `${A}/categories`, { name: 'Leisure' })).json();
    const cat = (await alice.api('POST', `${A}/categories`, { name: 'Cinema', parentId: group.id })).json();
    const ids = [];
    for (const d of ['2026-05-01', '2026-05-02', '2026-05-03']) {
      ids.push((await alice.api('POST', `${A}/transactions`, { accountId: acct.id, date: d, amount: '-8.00', payee: 'Odeon' })).json().id);
    }
    const listed = await alice.get(`${P}/transactions?accountId=${acct.id}`);
    assert.match(listed.text, new RegExp(`hx-get="/p/ledger/transactions/${ids[0]}/category"[^>]*>Uncategorized ▾`));
    const select = await alice.htmx('GET', `${P}/transactions/${ids[0]}/category`);
    assert.equal(select.status, 200);
    assert.match(select.text, new RegExp(`<select name="categoryId"[^>]*hx-post="/p/ledger/transactions/${ids[0]}/category"`));
    const link = await alice.htmx('GET', `${P}/transactions/${ids[0]}/category?cancel=1`);
    assert.match(link.text, new RegExp(`^<a href="/p/ledger/transactions/${ids[0]}"[^>]*title="Change category" autofocus>`), 'Escape asks for the link back');
    assert.match(select.text, new RegExp(`<option value="${cat.id}">Cinema</option>`));
    const row = await alice.htmx('POST', `${P}/transactions/${ids[0]}/category`, { categoryId: cat.id });
    assert.equal(row.status, 200);
    assert.match(row.text, new RegExp(`^<tr id="txn-${ids[0]}"`));
    assert.match(row.text, />Cinema ▾<\/a>/);
    assert.match((await alice.htmx('GET', `${P}/transactions/${ids[0]}/category`)).text, new RegExp(`<option value="${cat.id}" selected>Cinema`));
    const after1 = (await alice.api('GET', `${A}/transactions/${ids[0]}`)).json();
    assert.equal(after1.categoryId, cat.id);
    assert.equal(after1.categorySource, 'user');

    const body = new URLSearchParams([['_csrf', alice.client.csrf], ['ids', ids[1]], ['ids', ids[2]], ['categoryId', cat.id], ['addTags', 'movies, fun'], ['back', `${P}/transactions?q=odeon`]]);
    const bulk = await alice.client.request('POST', `${P}/transactions/bulk`, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(bulk.status, 303);
    assert.equal(bulk.location, `${P}/transactions?q=odeon&bulk=2`);
    assert.match((await alice.get(bulk.location!)).text, /role="status">Updated 2 transactions\./);
    const none = new URLSearchParams([['_csrf', alice.client.csrf], ['categoryId', cat.id], ['back', `${P}/transactions`]]);
    const nothing = await alice.client.request('POST', `${P}/transactions/bulk`, { body: none, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(nothing.location, `${P}/transactions?bulk=none`);
    assert.match((await alice.get(nothing.location!)).text, /role="status">Select at least one transaction first/);
    assert.match(listed.text, /data-select-all="ids"/, 'a select-all box heads the selectable rows');
    for (const id of ids.slice(1)) {
      const x = (await alice.api('GET', `${A}/transactions/${id}`)).json();
      assert.equal(x.categoryId, cat.id);
      assert.deepEqual(x.tags, ['movies', 'fun']);
    }
    assert.deepEqual(rowIds((await alice.get(`${P}/transactions?categoryId=${group.id}`)).text).sort(), [...ids].sort(), 'a group filters its categories');
    const untag = new URLSearchParams([['_csrf', alice.client.csrf], ['ids', ids[1]], ['removeTags', 'movies'], ['categoryId', '']]);
    assert.equal((await alice.client.request('POST', `${P}/transactions/bulk`, { body: untag, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 303);
    const untagged = (await alice.api('GET', `${A}/transactions/${ids[1]}`)).json();
    assert.deepEqual([untagged.tags, untagged.categoryId], [['fun'], cat.id], 'tags removed, category kept');
  });

  test('manual transactions: add, edit, delete through the forms, and a link to make a rule', async () => {
    const acct = (await alice.api('POST', `${A}/accounts`, { name: 'Cash box', type: 'depository', currency: 'EUR' })).json();
    const addSelect = (await alice.get(`${P}/transactions`)).text.match(/<select name="accountId" required>([\s\S]*?)<\/select>/)?.[1] ?? '';
    assert.match(addSelect, /Cash box/);
    assert.doesNotMatch(addSelect, /Old savings/, 'a closed account is not offered for new transactions');
    const made = await alice.form(`${P}/transactions`, { accountId: acct.id, date: '2026-06-01', amount: '-4.50', payee: 'Kiosk', description: '', notes: '', tags: 'snacks', categoryId: '' });
    assert.equal(made.status, 303, made.text);
    assert.equal(made.location, `${P}/accounts/${acct.id}`, "from the account's page, back to it");
    assert.match((await alice.get(`${P}/transactions`)).text, /<input type="hidden" name="back" value="\/p\/ledger\/transactions">/);
    const fromList = await alice.form(`${P}/transactions`, { accountId: acct.id, date: '2026-06-01', amount: '-1.00', payee: 'Kiosk', back: `${P}/transactions`, categoryId: '' });
    assert.equal(fromList.location, `${P}/transactions`, 'from the list, back to the list');
    await alice.api('DELETE', `${A}/transactions/${(await alice.api('GET', `${A}/transactions?accountId=${acct.id}&limit=50`)).json().items.find((x: { amount: string }) => x.amount === '-1.00').id}`);
    const list = (await alice.api('GET', `${A}/transactions?accountId=${acct.id}`)).json().items;
    assert.equal(list.length, 1);
    const id = list[0].id;
    const page = await alice.get(`${P}/transactions/${id}`);
    assert.match(page.text, new RegExp(`href="/p/rules/new\\?from=${id}"`));
    assert.match(page.text, /amount negative">-4\.50 EUR/);
    const edited = await alice.form(`${P}/transactions/${id}`, { date: '2026-06-02', amount: '-5.00', payee: 'Kiosk 2', description: '', notes: 'gum', tags: '', categoryId: '' });
    assert.equal(edited.status, 303);
    const x = (await alice.api('GET', `${A}/transactions/${id}`)).json();
    assert.deepEqual([x.date, x.amount, x.payee, x.notes], ['2026-06-02', '-5.00', 'Kiosk 2', 'gum']);
    const badEdit = await alice.form(`${P}/transactions/${id}`, { date: '2026-06-02', amount: '-12,99', payee: 'Typed payee', notes: 'typed note' });
    assert.equal(badEdit.status, 422);
    assert.match(badEdit.text, /name="amount"[^>]*value="-12,99"/, 'the edit form keeps the amount as typed');
    assert.match(badEdit.text, /name="payee" maxlength="500" value="Typed payee"/);
    assert.match(badEdit.text, />typed note<\/textarea>/);
    assert.equal((await alice.api('GET', `${A}/transactions/${id}`)).json().payee, 'Kiosk 2', 'nothing saved');
    const typedAmount = await alice.form(`${P}/transactions/${id}`, { date: '2026-06-02', amount: '-$1,299.00', payee: 'Kiosk 2', description: '', notes: 'gum', tags: '', categoryId: '' });
    assert.equal(typedAmount.status, 303, 'an amount typed with a symbol and thousands separators is understood');
    assert.equal((await alice.api('GET', `${A}/transactions/${id}`)).json().amount, '-1299.00');
    const refused = await alice.form(`${P}/transactions`, { accountId: acct.id, date: '2026-06-03', amount: 'ten', payee: 'Kept payee' });
    assert.equal(refused.status, 422);
    assert.match(refused.text, /role="alert">amount: a decimal number/);
    assert.match(refused.text, /name="payee" maxlength="500" value="Kept payee"/);
    assert.match((await alice.get(`${P}/transactions/${id}`)).text, /\/delete" hx-post="[^"]+\/delete" hx-confirm="Delete this transaction\?/, 'deleting asks first');
    assert.match((await alice.get(`${P}/accounts/${acct.id}`)).text, /hx-confirm="Delete “[^”]+” and all of its transactions\?/);
    assert.match((await alice.get(`${P}/categories`)).text, /hx-confirm="Delete the category “[^”]+”\? Its transactions become uncategorized\."/);
    assert.equal((await alice.form(`${P}/transactions/${id}/delete`, {})).status, 303);
    assert.equal((await alice.api('GET', `${A}/transactions/${id}`)).status, 404);
    assert.equal((await alice.api('GET', `${A}/accounts/${acct.id}`)).json().balance, '0.00');
  });

  test('categories page: add, rename, hide, merge', async () => {
    assert.equal((await alice.form(`${P}/categories`, { name: 'Pets', parentId: '', kind: '' })).status, 303);
    const all = () => alice.api('GET', `${A}/categories?includeHidden=true&limit=500`).then((r) => r.json().items as { id: string; name: string; hidden: boolean }[]);
    const pets = (await all()).find((c) => c.name === 'Pets')!;
    await alice.form(`${P}/categories`, { name: 'Vet', parentId: pets.id, kind: '' });
    await alice.form(`${P}/categories`, { name: 'Food', parentId: pets.id, kind: '' });
    const vet = (await all()).find((c) => c.name === 'Vet')!;
    const food = (await all()).find((c) => c.name === 'Food')!;
    assert.equal((await alice.form(`${P}/categories/${vet.id}`, { name: 'Veterinary' })).status, 303);
    assert.equal((await alice.form(`${P}/categories/${food.id}`, { hidden: 'true' })).status, 303);
    const page = await alice.get(`${P}/categories`);
    assert.match(page.text, /Veterinary/);
    assert.match(page.text, /Food<\/td>|Food <small[\s\S]*?<mark>hidden<\/mark>/);
    assert.equal((await alice.form(`${P}/categories/merge`, { fromId: food.id, intoId: vet.id })).status, 303);
    assert.ok(!(await all()).some((c) => c.id === food.id));
    const dup = await alice.form(`${P}/categories`, { name: 'Veterinary', parentId: pets.id, kind: '' });
    assert.equal(dup.status, 422);
    assert.match(dup.text, /already exists/);
    assert.match(dup.text, /name="name" required maxlength="100" value="Veterinary"/, 'the new-category form keeps what was typed');
    assert.match(dup.text, new RegExp(`<option value="${pets.id}" selected>Pets</option>`));
    const pets2 = await alice.form(`${P}/categories`, { name: 'Pets 2', parentId: '', kind: '' });
    assert.equal(pets2.status, 303);
    const clash = await alice.form(`${P}/categories/${vet.id}`, { name: 'Veterinary' });
    assert.equal(clash.status, 303, 'renaming to its own name is fine');
    const other = (await all()).find((c) => c.name === 'Pets 2')!;
    const badRename = await alice.form(`${P}/categories/${other.id}`, { name: 'Pets' });
    assert.equal(badRename.status, 422);
    assert.match(badRename.text, /value="Pets" aria-label="New name for Pets 2" required maxlength="100" aria-invalid="true"/, 'the row keeps the name typed');
    // Rename fields stay folded, one line per category, except the one refused, open with its error.
    const row = (id: string) => badRename.text.match(new RegExp(`<tr id="category-${id}">[\\s\\S]*?</tr>`))![0];
    assert.match(row(other.id), /<details open>\s*<summary role="button" class="secondary outline">Rename<\/summary>/);
    assert.match(row(vet.id), /<details>\s*<summary role="button" class="secondary outline">Rename<\/summary>/);
  });

  test('/accounts leads to the accounts list at the root, keeping its query', async () => {
    const res = await alice.get(`${P}/accounts?closed=true`);
    assert.equal(res.status, 302);
    assert.equal(res.location, `${P}/?closed=true`);
  });

  test('a viewer sees the pages without write controls and cannot post', async () => {
    const viewer = await t.join(alice, 'viewer');
    const acct = (await alice.api('GET', `${A}/accounts`)).json().items[0];
    const page = await viewer.get(`${P}/transactions`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /bulk-form|hx-post/);
    assert.equal((await viewer.form(`${P}/accounts`, { name: 'X', type: 'depository', currency: 'USD' })).status, 403);
    assert.equal((await viewer.form(`${P}/accounts/${acct.id}/delete`, {})).status, 403);
    assert.equal((await alice.api('GET', `${A}/accounts/${acct.id}`)).status, 200);
  });
});
