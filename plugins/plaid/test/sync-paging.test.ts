// /transactions/sync paging through the official SDK: thousands of transactions over many pages,
// nothing lost or repeated, cursors that resume exactly, and the mutation-during-pagination error
// with Plaid's documented recovery (restart from the cursor that began the update).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PlaidApi } from 'plaid';
import type { FakePlaid } from '../fake/index.ts';
import { plaidFailure, startFake } from './support/sdk.ts';
import { Mirror, syncAll } from './support/sync.ts';

let fake: FakePlaid;
let plaid: PlaidApi;

before(async () => {
  ({ fake, plaid } = await startFake({ seed: 'paging' }));
});
after(() => fake.close());

describe('paging', () => {
  test('5,000 transactions arrive over ten pages of 500, each exactly once, matching the fake', async () => {
    const item = fake.connect({ institutionId: 'ins_109508', history: { count: 5000 } });
    const counts: number[] = [];
    let cursor = '';
    const mirror = new Mirror();
    for (;;) {
      const { data } = await plaid.transactionsSync({ access_token: item.accessToken, cursor, count: 500 });
      counts.push(data.added.length);
      assert.equal(data.modified.length + data.removed.length, 0);
      assert.equal(data.transactions_update_status, 'HISTORICAL_UPDATE_COMPLETE');
      assert.ok(data.accounts.length >= 3);
      mirror.apply(data);
      assert.notEqual(data.next_cursor, cursor);
      cursor = data.next_cursor;
      if (!data.has_more) break;
    }
    assert.deepEqual(counts, Array(10).fill(500));
    assert.equal(mirror.rows.size, 5000);
    assert.deepEqual(mirror.sorted(), item.transactions());
    const again = (await plaid.transactionsSync({ access_token: item.accessToken, cursor })).data;
    assert.deepEqual([again.added.length, again.modified.length, again.removed.length, again.has_more], [0, 0, 0, false]);
    assert.equal(again.next_cursor, cursor, 'no news leaves the cursor where it was');
  });

  test('the default page size is 100, and a short last page ends the update', async () => {
    const item = fake.connect({ institutionId: 'ins_mff_basic', history: { count: 250 } });
    const r = await syncAll(plaid, item.accessToken);
    assert.equal(r.pages, 3);
    assert.equal(r.added.length, 250);
  });

  test('a cursor resumes mid-pagination from exactly where it was', async () => {
    const item = fake.connect({ institutionId: 'ins_109508', history: { count: 300 } });
    const p1 = (await plaid.transactionsSync({ access_token: item.accessToken, count: 120 })).data;
    const p2 = (await plaid.transactionsSync({ access_token: item.accessToken, cursor: p1.next_cursor, count: 120 })).data;
    const p2again = (await plaid.transactionsSync({ access_token: item.accessToken, cursor: p1.next_cursor, count: 120 })).data;
    assert.deepEqual(p2again.added, p2.added, 'asking for the same page twice gives the same page');
    const rest = await syncAll(plaid, item.accessToken, p2.next_cursor, { count: 120 });
    const ids = [...p1.added, ...p2.added, ...rest.added].map((t) => t.transaction_id);
    assert.equal(ids.length, 300);
    assert.equal(new Set(ids).size, 300);
  });

  test('options.account_id limits the update to one account', async () => {
    const item = fake.connect({ institutionId: 'ins_109508', history: { count: 400 } });
    const card = item.account('card').account_id;
    const r = await syncAll(plaid, item.accessToken, '', { options: { account_id: card } });
    assert.ok(r.added.length > 0);
    assert.ok(r.added.every((t) => t.account_id === card));
    assert.equal(r.added.length, item.transactions().filter((t) => t.account_id === card).length);
  });
});

describe('mutation during pagination', () => {
  test('a change between pages fails the next page; restarting from the first cursor converges', async () => {
    const item = fake.connect({ institutionId: 'ins_109508', history: { count: 1000 } });
    const p1 = (await plaid.transactionsSync({ access_token: item.accessToken, count: 100 })).data;
    const p2 = (await plaid.transactionsSync({ access_token: item.accessToken, cursor: p1.next_cursor, count: 100 })).data;
    item.mutateDuringPagination();
    const e = await plaidFailure(plaid.transactionsSync({ access_token: item.accessToken, cursor: p2.next_cursor, count: 100 }));
    assert.equal(e.status, 400);
    assert.equal(e.body.error_type, 'TRANSACTIONS_ERROR');
    assert.equal(e.body.error_code, 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');
    const again = await plaidFailure(plaid.transactionsSync({ access_token: item.accessToken, cursor: p2.next_cursor, count: 100 }));
    assert.equal(again.body.error_code, 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION', 'the stale pagination stays dead');
    const restarted = await syncAll(plaid, item.accessToken, '', { count: 100 });
    const mirror = new Mirror();
    mirror.apply(restarted);
    assert.equal(mirror.rows.size, 1001);
    assert.deepEqual(mirror.sorted(), item.transactions());
  });

  test('changes made through the control API between pages are detected too; the first page is not', async () => {
    const item = fake.connect({ institutionId: 'ins_109508', history: { count: 250 } });
    const mirror = new Mirror();
    const first = await syncAll(plaid, item.accessToken);
    mirror.apply(first);
    item.addTransactions(Array.from({ length: 150 }, (_, i) => ({ amount: i + 1, merchant: 'Amazon' })));
    const p1 = (await plaid.transactionsSync({ access_token: item.accessToken, cursor: first.cursor, count: 100 })).data;
    assert.equal(p1.has_more, true);
    item.remove(p1.added[0]!.transaction_id);
    const e = await plaidFailure(plaid.transactionsSync({ access_token: item.accessToken, cursor: p1.next_cursor, count: 100 }));
    assert.equal(e.body.error_code, 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');
    const r = await syncAll(plaid, item.accessToken, first.cursor, { count: 100 });
    mirror.apply(r);
    assert.equal(r.added.length, 149);
    assert.deepEqual(mirror.sorted(), item.transactions());
  });
});

describe('bad requests', () => {
  test('foreign, garbled and future cursors, and out-of-range counts, are INVALID_FIELD', async () => {
    const a = fake.connect({ institutionId: 'ins_mff_basic', history: { count: 5 } });
    const b = fake.connect({ institutionId: 'ins_mff_basic', history: { count: 5 } });
    const cursorA = (await plaid.transactionsSync({ access_token: a.accessToken })).data.next_cursor;
    const forged = Buffer.from(`fk1:${a.itemId}:99999`).toString('base64url');
    for (const [token, cursor] of [[b.accessToken, cursorA], [a.accessToken, 'not a cursor!'], [a.accessToken, forged]] as const) {
      const e = await plaidFailure(plaid.transactionsSync({ access_token: token, cursor }));
      assert.deepEqual([e.status, e.body.error_type, e.body.error_code], [400, 'INVALID_REQUEST', 'INVALID_FIELD']);
    }
    for (const count of [0, 501, 1.5]) {
      const e = await plaidFailure(plaid.transactionsSync({ access_token: a.accessToken, count }));
      assert.equal(e.body.error_code, 'INVALID_FIELD');
    }
  });
});
