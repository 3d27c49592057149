// The connections page at work: the first sync as a job whose progress the page shows (polling
// itself with htmx), "Sync now", removing a connection with or without its history, Plaid's real
// Link page (its script and CSP on that page alone), and what a viewer may not do.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { configure, connectBank, itemIds, itemRow, ledgerTransactions, runSyncOnce, startPlaidApp, type PlaidApp } from './support/app.ts';

const mode = (process.env.MFF_TEST_PLUGIN_MODES?.split(',')[0] ?? 'sandboxed') as 'sandboxed' | 'in-process';

describe(`plaid connections page (${mode})`, () => {
  let app: PlaidApp;

  before(async () => {
    // No job workers: the test runs each sync itself, so it can look at the page between runs. The
    // real-Link household's sandbox.plaid.com goes to the fake too.
    app = await startPlaidApp(mode, { defaultHistory: { count: 600, days: 90 } }, { jobs: false, hosts: (fake) => ({ 'sandbox.plaid.com': fake.url }) });
  });
  after(() => app?.close());

  const card = async (itemId: string) => (await app.alice.get(`/p/plaid/items/${itemId}/card`, { 'hx-request': 'true' })).text;

  test('the first sync is queued at once and its progress shows while it pages; the card polls until done', async () => {
    const itemId = await connectBank(app, 'ins_mff_demo');
    assert.match(await card(itemId), /First sync queued…/);
    assert.match(await card(itemId), new RegExp(`hx-get="/p/plaid/items/${itemId}/card" hx-trigger="every 2s"`));
    // A run with no time budget stages exactly one page of 100, then hands over to its continuation.
    await runSyncOnce(app, itemId, { pageSize: 100, budgetMs: 0 });
    assert.match(await card(itemId), /Syncing… 100 transactions so far \(1 page\)/);
    for (let i = 0; i < 20 && (await itemRow(app, itemId)).sync_state !== 'idle'; i++) await runSyncOnce(app, itemId, { pageSize: 100 });
    const done = await card(itemId);
    assert.doesNotMatch(done, /hx-trigger="every 2s"/);
    assert.doesNotMatch(done, /Syncing/);
    assert.equal((await ledgerTransactions(app)).size, app.fake.item(itemId).transactions().length);
  });

  test('"Sync now" queues a sync and answers the card in place for htmx', async () => {
    const [itemId] = await itemIds(app);
    const res = await app.alice.htmx('POST', `/p/plaid/items/${itemId}/sync`);
    assert.equal(res.status, 200);
    assert.match(res.text, /^<article class="p-plaid-item"/);
    assert.match(res.text, /Sync queued…/);
    const [{ n }] = await app.t.kernel.db.admin`select count(*)::int as n from pgboss.job where name = 'plugin.plaid.sync' and state = 'created'`;
    assert.ok(n >= 1);
  });

  test('a viewer sees the connections but cannot connect, sync or remove', async () => {
    const [itemId] = await itemIds(app);
    const viewer = await app.t.join(app.alice, 'viewer');
    const page = await viewer.get('/p/plaid/');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /Sync now/);
    assert.equal((await viewer.form(`/p/plaid/items/${itemId}/sync`, {})).status, 403);
    assert.equal((await viewer.form(`/p/plaid/items/${itemId}/remove`, { history: 'delete' })).status, 403);
    assert.equal((await itemRow(app, itemId)).item_id, itemId);
  });

  test('removing a connection and keeping its history closes the accounts and keeps the transactions', async () => {
    const [itemId] = await itemIds(app);
    const confirm = await app.alice.get(`/p/plaid/items/${itemId}/remove`);
    assert.match(confirm.text, /name="history" value="keep" checked/);
    const kept = (await ledgerTransactions(app)).size;
    const res = await app.alice.form(`/p/plaid/items/${itemId}/remove`, { history: 'keep' });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/p/plaid/?notice=removed-keep');
    assert.equal(app.fake.item(itemId).item.removed, true, '/item/remove was called');
    assert.deepEqual(await itemIds(app), []);
    const accounts = await app.t.asHousehold(app.alice.householdId, (tx) => tx`select closed from ledger.accounts where source = 'plaid'`);
    assert.ok(accounts.length > 0 && accounts.every((a) => a.closed));
    assert.equal((await ledgerTransactions(app)).size, kept);
  });

  test('removing a connection with its history deletes its accounts and transactions', async () => {
    const before = await app.t.asHousehold(app.alice.householdId, (tx) => tx`select count(*)::int as n from ledger.accounts where source = 'plaid'`);
    const itemId = await connectBank(app, 'ins_mff_basic');
    await runSyncOnce(app, itemId);
    assert.ok((await ledgerTransactions(app)).size > 0);
    const res = await app.alice.form(`/p/plaid/items/${itemId}/remove`, { history: 'delete' });
    assert.equal(res.status, 303);
    const after = await app.t.asHousehold(app.alice.householdId, (tx) => tx`select count(*)::int as n from ledger.accounts where source = 'plaid'`);
    assert.equal(after[0].n, before[0].n, 'only the kept (closed) accounts of the earlier connection remain');
    const [{ n }] = await app.t.asHousehold(app.alice.householdId, (tx) => tx`
      select count(*)::int as n from ledger.transactions t join ledger.accounts a on a.id = t.account_id where a.institution = 'Prairie Basic Bank'`);
    assert.equal(n, 0);
  });

  test("with Plaid's own address, the Link page loads Plaid's script with this page's CSP alone, and the public token is exchanged", async () => {
    const bob = await app.t.signUp({ household: { name: 'Bob', baseCurrency: 'USD' } });
    // The instance admin drops the override (the last test here): https://sandbox.plaid.com, sent to the fake by the test kernel.
    await configure(app.t, app.alice, app.fake, '');
    const link = await bob.get('/p/plaid/link');
    assert.equal(link.status, 200, link.text.slice(0, 400));
    const csp = link.headers.get('content-security-policy') ?? '';
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    assert.match(csp, /frame-src 'self' https:\/\/cdn\.plaid\.com\//);
    assert.match(csp, /connect-src 'self' https:\/\/sandbox\.plaid\.com\//);
    assert.ok(link.text.includes(`<script src="https://cdn.plaid.com/link/v2/stable/link-initialize.js" nonce="${nonce}" defer></script>`));
    assert.ok(link.text.includes(`<script src="/p/plaid/link.js" nonce="${nonce}" defer></script>`));
    assert.match(link.text, /id="p-plaid-link" data-link-token="link-sandbox-/);
    // Other pages keep the kernel's policy.
    const other = (await bob.get('/p/plaid/')).headers.get('content-security-policy') ?? '';
    assert.doesNotMatch(other, /plaid\.com/);
    const script = await bob.get('/p/plaid/link.js');
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(script.text, /Plaid\.create\(/);
    // What Link's onSuccess hands back, posted as link.js does.
    const publicToken = app.fake.link({ institutionId: 'ins_109508', webhook: null, history: { count: 20 } });
    const done = await bob.form('/p/plaid/exchange', { public_token: publicToken, item: '' });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/p/plaid/?notice=connected');
    const [item] = await app.t.asHousehold(bob.householdId, (tx) => tx`select institution_name from plaid.items`);
    assert.equal(item.institution_name, 'First Platypus Bank');
  });
});
