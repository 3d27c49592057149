// When Plaid misbehaves: 500s and rate limits are retried with backoff and the sync still completes;
// history changing during pagination restarts from the saved cursor and converges; a failure that
// outlasts the retries is recorded in plain words and left to the job's own retries.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { differences } from './support/compare.ts';
import { connectBank, itemRow, ledgerTransactions, runSyncOnce, startPlaidApp, type PlaidApp } from './support/app.ts';

const mode = (process.env.MFF_TEST_PLUGIN_MODES?.split(',')[0] ?? 'sandboxed') as 'sandboxed' | 'in-process';

describe(`plaid resilience (${mode})`, () => {
  let app: PlaidApp;
  let itemId: string;
  const calls = (path: string) => app.fake.requests.filter((r) => r.path === path);

  before(async () => {
    app = await startPlaidApp(mode, { defaultHistory: { count: 1500, days: 120 } }, { jobs: false });
    itemId = await connectBank(app, 'ins_109508');
  });
  after(() => app?.close());

  test('500s and rate limits are retried with backoff; the first sync completes', async () => {
    const from = app.fake.requests.length;
    app.fake.item(itemId).fail500(2, '/transactions/sync');
    app.fake.item(itemId).rateLimit(1, '/accounts/get');
    await runSyncOnce(app, itemId);
    const seen = app.fake.requests.slice(from);
    assert.deepEqual(seen.filter((r) => r.status !== 200).map((r) => `${r.path} ${r.status} ${r.errorCode}`).sort(), [
      '/accounts/get 429 ACCOUNTS_LIMIT', '/transactions/sync 500 INTERNAL_SERVER_ERROR', '/transactions/sync 500 INTERNAL_SERVER_ERROR',
    ]);
    const row = await itemRow(app, itemId);
    assert.equal(row.sync_state, 'idle');
    assert.equal(row.last_error_code, null);
    assert.deepEqual(differences(app.fake.item(itemId), await ledgerTransactions(app)), []);
  });

  test('history changing during pagination: the sync starts again from the saved cursor and converges', async () => {
    const item = app.fake.item(itemId);
    item.addGenerated(1200); // three pages of 500
    item.mutateDuringPagination();
    const from = calls('/transactions/sync').length;
    await runSyncOnce(app, itemId);
    const seen = calls('/transactions/sync').slice(from);
    assert.ok(seen.some((r) => r.errorCode === 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION'));
    assert.equal((await itemRow(app, itemId)).sync_state, 'idle');
    assert.deepEqual(differences(item, await ledgerTransactions(app)), []);
  });

  test('a failure that outlasts the retries is recorded in plain words; the job is retried later', async () => {
    app.fake.item(itemId).addGenerated(2);
    app.fake.item(itemId).fail500(10, '/transactions/sync');
    await assert.rejects(runSyncOnce(app, itemId), /Plaid answered 500 INTERNAL_SERVER_ERROR/);
    const row = await itemRow(app, itemId);
    assert.equal(row.last_error_code, 'INTERNAL_SERVER_ERROR');
    assert.equal(row.sync_state, 'queued', 'shown as waiting for its retry');
    const page = await app.alice.get('/p/plaid/');
    assert.match(page.text, /Last problem: Plaid had a temporary problem\. The sync will try again shortly\./);
    assert.equal(row.status, 'active', 'a temporary problem does not make the household act');
    // Plaid recovers: the retry goes through and clears the problem.
    app.fake.item(itemId).item.failures.clear();
    await runSyncOnce(app, itemId);
    const after = await itemRow(app, itemId);
    assert.equal(after.last_error_code, null);
    assert.equal(after.sync_state, 'idle');
    assert.deepEqual(differences(app.fake.item(itemId), await ledgerTransactions(app)), []);
  });
});
