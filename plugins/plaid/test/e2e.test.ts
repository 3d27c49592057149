// End to end through the official SDK against the fake, as a household uses it: connect a bank (the
// stand-in Link page), the first sync of 5,000 transactions over several pages, then a modification,
// a removal and a pending transaction posted — whose category, notes and tags the user had set —
// each picked up by "Sync now". Provider categories land in the household's categories; holdings
// and liabilities appear; the ledger ends exactly as the bank has it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedCategories } from '../../ledger/service/category-seed.ts';
import { ledgerTx } from '../../ledger/test/ledger-tx.ts';
import { differences } from './support/compare.ts';
import { connectBank, ledgerTransactions, startPlaidApp, syncSettled, type PlaidApp } from './support/app.ts';

const mode = (process.env.MFF_TEST_PLUGIN_MODES?.split(',')[0] ?? 'sandboxed') as 'sandboxed' | 'in-process';

describe(`plaid end to end (${mode})`, () => {
  let app: PlaidApp;
  let itemId: string;
  const syncCalls = () => app.fake.requests.filter((r) => r.path === '/transactions/sync' && r.status === 200).length;
  const syncNow = async () => {
    const res = await app.alice.form(`/p/plaid/items/${itemId}/sync`, {});
    assert.equal(res.status, 303);
    return syncSettled(app, itemId);
  };

  before(async () => {
    app = await startPlaidApp(mode, { defaultHistory: { count: 5000, days: 365 } });
    await ledgerTx(app.t.kernel.db, app.alice.householdId, (tx) => seedCategories(tx));
  });
  after(() => app?.close());

  test('connecting a bank creates the item and its accounts in the ledger, then syncs 5,000 transactions page by page', async () => {
    const before = syncCalls();
    itemId = await connectBank(app, 'ins_109508');
    const accounts = await app.t.asHousehold(app.alice.householdId, (tx) => tx`
      select name, type, balance::text, institution from ledger.accounts where source = 'plaid' order by name`);
    assert.deepEqual(accounts.map((a) => a.type).sort(), ['credit', 'depository', 'depository', 'investment', 'loan', 'loan']);
    assert.ok(accounts.every((a) => a.institution === 'First Platypus Bank'));
    assert.equal(accounts.find((a) => a.name === 'Plaid Mortgage')?.balance, '287340.12');

    const row = await syncSettled(app, itemId);
    assert.equal(row.status, 'active');
    assert.ok(row.last_success_at, 'a successful sync is recorded');
    assert.ok(syncCalls() - before >= 10, `5,000 transactions take at least 10 pages of 500 (took ${syncCalls() - before})`);
    const ledger = await ledgerTransactions(app);
    assert.equal(app.fake.item(itemId).transactions().length, 5000);
    assert.deepEqual(differences(app.fake.item(itemId), ledger), []);
    // Nothing left staged once the sync is complete.
    const [{ n }] = await app.t.asHousehold(app.alice.householdId, (tx) => tx`select count(*)::int as n from plaid.sync_pages`);
    assert.equal(n, 0);
  });

  test("provider categories land in the household's own categories", async () => {
    const rows = await app.t.asHousehold(app.alice.householdId, (tx) => tx`
      select t.category_source, t.category_id = coalesce(d.category_id, p.category_id) as mapped
      from ledger.transactions t
      left join ledger.category_pfc d on d.pfc_code = t.provider_category_detailed
      left join ledger.category_pfc p on p.pfc_code = t.provider_category_primary
      where t.source = 'plaid'`);
    assert.equal(rows.length, 5000);
    assert.ok(rows.every((r) => r.category_source === 'provider' && r.mapped === true), 'every transaction carries the category its PFC maps to');
  });

  test('holdings, securities and liability details are stored and shown on the item page', async () => {
    const [{ holdings, liabilities }] = await app.t.asHousehold(app.alice.householdId, (tx) => tx`
      select (select count(*)::int from plaid.holdings) as holdings, (select array_agg(kind order by kind) from plaid.liabilities) as liabilities`);
    assert.ok(holdings > 0);
    assert.deepEqual(liabilities, ['credit', 'mortgage', 'student']);
    const page = await app.alice.get(`/p/plaid/items/${itemId}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<h2>Holdings<\/h2>/);
    assert.match(page.text, /<h2>Loans and cards<\/h2>/);
  });

  test('a modified transaction is updated and a removed one deleted at the next sync', async () => {
    const item = app.fake.item(itemId);
    const [a, b] = item.transactions().filter((t) => !t.pending).slice(0, 2).map((t) => String(t.transaction_id));
    item.modify(a, { amount: 123.45, name: 'CORRECTED MERCHANT' });
    item.remove(b);
    await syncNow();
    const ledger = await ledgerTransactions(app);
    assert.equal(ledger.get(a)?.amount, '-123.45');
    assert.equal(ledger.has(b), false);
    assert.deepEqual(differences(item, ledger), []);
  });

  test('a pending transaction replaced by its posted one keeps the category, notes and tags the user set', async () => {
    const item = app.fake.item(itemId);
    const pendingId = String(item.transactions().find((t) => t.pending)!.transaction_id);
    const { ledgerId, categoryId } = await app.t.asHousehold(app.alice.householdId, async (tx) => {
      const [cat] = await tx`select id from ledger.categories where parent_id is not null order by name limit 1`;
      // What the user's edit in the ledger does: a category of their choosing, a note, a tag.
      const [row] = await tx`update ledger.transactions set category_id = ${cat.id}, category_source = 'user', notes = 'split with Bob', tags = '{trip}'
                             where source = 'plaid' and external_id = ${pendingId} returning id`;
      return { ledgerId: row.id as string, categoryId: cat.id as string };
    });
    const posted = item.postPending(pendingId, { amount: 42.5 });
    await syncNow();
    const ledger = await ledgerTransactions(app);
    assert.equal(ledger.has(pendingId), false, 'the pending row is gone');
    const row = ledger.get(posted.transaction_id)!;
    assert.equal(row.pending, false);
    assert.equal(row.amount, '-42.5');
    assert.equal(row.category_id, categoryId);
    assert.equal(row.category_source, 'user');
    assert.equal(row.notes, 'split with Bob');
    assert.deepEqual(row.tags, ['trip']);
    const [{ id }] = await app.t.asHousehold(app.alice.householdId, (tx) => tx`select id from ledger.transactions where external_id = ${posted.transaction_id}`);
    assert.equal(id, ledgerId, 'the same ledger row, taken over in place');
    assert.deepEqual(differences(item, ledger), []);
  });

  test('the scheduled fallback syncs every usable item', async () => {
    const [added] = app.fake.item(itemId).addTransactions([{ amount: 9.99, merchant: 'Netflix' }]);
    await app.t.runSchedule('plaid', 'fallback', app.alice.householdId);
    await syncSettled(app, itemId);
    assert.equal((await ledgerTransactions(app)).get(added.transaction_id)?.amount, '-9.99');
  });

  test('the connections page shows the bank, its accounts with balances, and the last successful sync', async () => {
    const page = await app.alice.get('/p/plaid/');
    assert.equal(page.status, 200);
    assert.match(page.text, /First Platypus Bank/);
    assert.match(page.text, /Plaid Checking/);
    assert.match(page.text, /data-amount="287340.12">\$287,340\.12</);
    assert.match(page.text, /Last successful sync: <span class="p-plaid-last-sync">[A-Z][a-z]{2} \d/);
    assert.match(page.text, /data-status="active"[^>]*>Connected\./);
    const home = await app.alice.get('/p/plaid/_slot/home.card');
    assert.match(home.text, /1 bank connected/);
  });
});
