// What a client sees after the bank changes things: modifications, removals, new transactions,
// pending → posted, and how balances follow — all through the official SDK.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PlaidApi } from 'plaid';
import type { FakePlaid } from '../fake/index.ts';
import { startFake } from './support/sdk.ts';
import { Mirror, syncAll } from './support/sync.ts';

let fake: FakePlaid;
let plaid: PlaidApi;

before(async () => {
  ({ fake, plaid } = await startFake({ seed: 'changes' }));
});
after(() => fake.close());

async function connectedAndSynced(count = 200) {
  const item = fake.connect({ institutionId: 'ins_109508', history: { count } });
  const mirror = new Mirror();
  const first = await syncAll(plaid, item.accessToken);
  mirror.apply(first);
  return { item, mirror, cursor: first.cursor, initial: first.added };
}

test('modifications, removals and additions show up once, in the right list, then never again', async () => {
  const { item, mirror, cursor, initial } = await connectedAndSynced();
  const [m1, m2, r1, r2] = initial.map((t) => t.transaction_id);
  item.modify(m1!, { amount: 42.42 });
  item.modify(m2!, { name: 'RENAMED', category: 'FOOD_AND_DRINK_COFFEE' });
  item.modify(m2!, { amount: 1.23 });
  item.remove(r1!, r2!);
  const added = item.addTransactions([
    { amount: 18.4, merchant: 'Chipotle Mexican Grill' },
    { amount: -2500, merchant: 'Acme Corp', category: 'INCOME_SALARY' },
    { amount: 5, account: 'card', name: 'VENDING 42' },
  ]);
  const r = await syncAll(plaid, item.accessToken, cursor);
  assert.deepEqual(r.modified.map((t) => t.transaction_id).sort(), [m1!, m2!].sort());
  assert.deepEqual(r.removed.map((t) => t.transaction_id).sort(), [r1!, r2!].sort());
  assert.deepEqual(r.added.map((t) => t.transaction_id).sort(), added.map((t) => t.transaction_id).sort());
  const byId = new Map(r.modified.map((t) => [t.transaction_id, t]));
  assert.equal(byId.get(m1!)!.amount, 42.42);
  assert.deepEqual([byId.get(m2!)!.name, byId.get(m2!)!.amount, byId.get(m2!)!.personal_finance_category?.detailed], ['RENAMED', 1.23, 'FOOD_AND_DRINK_COFFEE']);
  const salary = r.added.find((t) => t.amount === -2500)!;
  assert.deepEqual([salary.merchant_name, salary.personal_finance_category?.primary], ['Acme Corp', 'INCOME']);
  assert.equal(r.added.find((t) => t.name === 'VENDING 42')!.account_id, item.account('card').account_id);
  assert.ok(r.removed.every((t) => t.account_id));
  mirror.apply(r);
  assert.deepEqual(mirror.sorted(), item.transactions());
  const after = await syncAll(plaid, item.accessToken, r.cursor);
  assert.deepEqual([after.added.length, after.modified.length, after.removed.length], [0, 0, 0]);
});

test('a transaction added and removed between two syncs is never seen; modified then removed is only removed', async () => {
  const { item, cursor, initial } = await connectedAndSynced(50);
  const [ghost] = item.addTransactions([{ amount: 9, merchant: 'Uber' }]);
  item.modify(ghost!.transaction_id, { amount: 10 });
  item.remove(ghost!.transaction_id);
  const victim = initial[0]!.transaction_id;
  item.modify(victim, { amount: 77 });
  item.remove(victim);
  const r = await syncAll(plaid, item.accessToken, cursor);
  assert.deepEqual(r.added, []);
  assert.deepEqual(r.modified, []);
  assert.deepEqual(r.removed.map((t) => t.transaction_id), [victim]);
});

test('pending to posted: the pending one is removed and the posted one names it', async () => {
  const { item, mirror, cursor } = await connectedAndSynced(50);
  const [pending] = item.addTransactions([{ amount: 23.1, merchant: 'The Cheesecake Factory', pending: true, account: 'card' }]);
  const seen = await syncAll(plaid, item.accessToken, cursor);
  assert.equal(seen.added.length, 1);
  assert.equal(seen.added[0]!.pending, true);
  assert.equal(seen.added[0]!.pending_transaction_id, null);
  mirror.apply(seen);

  const posted = item.postPending(pending!.transaction_id, { amount: 27.5 }); // the tip was added
  const r = await syncAll(plaid, item.accessToken, seen.cursor);
  assert.deepEqual(r.removed.map((t) => t.transaction_id), [pending!.transaction_id]);
  assert.equal(r.added.length, 1);
  const p = r.added[0]!;
  assert.deepEqual([p.transaction_id, p.pending, p.pending_transaction_id, p.amount, p.merchant_name], [posted.transaction_id, false, pending!.transaction_id, 27.5, 'The Cheesecake Factory']);
  mirror.apply(r);
  assert.deepEqual(mirror.sorted(), item.transactions());
});

test('generated history has pending transactions only in the last days, and they can be posted', async () => {
  const item = fake.connect({ institutionId: 'ins_109508', history: { count: 600, days: 60, endDate: '2025-03-31' } });
  const { added } = await syncAll(plaid, item.accessToken);
  const pending = added.filter((t) => t.pending);
  assert.ok(pending.length > 0);
  assert.ok(pending.every((t) => t.date >= '2025-03-30'), 'pending only within the last two days');
  assert.ok(added.every((t) => t.date >= '2025-01-31' && t.date <= '2025-03-31'));
  const posted = item.postPending(pending[0]!.transaction_id);
  assert.equal(posted.pending_transaction_id, pending[0]!.transaction_id);
  assert.throws(() => item.postPending(posted.transaction_id), /not pending/);
});

test('balances follow new transactions: posted moves current, pending only available; credit runs the other way', async () => {
  const item = fake.connect({ institutionId: 'ins_109508', history: { count: 20 } });
  const balances = async () => {
    const { data } = await plaid.accountsBalanceGet({ access_token: item.accessToken });
    const get = (role: string) => data.accounts.find((a) => a.account_id === item.account(role).account_id)!.balances;
    return { checking: get('checking'), card: get('card') };
  };
  const before = await balances();
  item.addTransactions([{ amount: 100, account: 'checking' }, { amount: 30, account: 'checking', pending: true }, { amount: 50.25, account: 'card' }]);
  const after = await balances();
  assert.equal(after.checking.current, Math.round((before.checking.current! - 100) * 100) / 100);
  assert.equal(after.checking.available, Math.round((before.checking.available! - 130) * 100) / 100);
  assert.equal(after.card.current, Math.round((before.card.current! + 50.25) * 100) / 100);
  assert.equal(after.card.available, Math.round((before.card.available! - 50.25) * 100) / 100);
  assert.equal(after.card.limit, 7000);
});

test('PFC version and original description options change how transactions are rendered', async () => {
  const item = fake.connect({ institutionId: 'ins_mff_basic', history: { count: 5 } });
  item.addTransactions([{ amount: -3000, merchant: 'Acme Corp', category: 'INCOME_SALARY' }]);
  const v2 = await syncAll(plaid, item.accessToken);
  const v1 = await syncAll(plaid, item.accessToken, '', { options: { personal_finance_category_version: 'v1' as never, include_original_description: true } });
  const salary = (r: typeof v1) => r.added.find((t) => t.amount === -3000)!;
  assert.equal(salary(v2).personal_finance_category?.detailed, 'INCOME_SALARY');
  assert.equal(salary(v1).personal_finance_category?.detailed, 'INCOME_WAGES');
  assert.equal(salary(v2).original_description, null);
  assert.equal(salary(v1).original_description, salary(v1).name);
});

test('before the initial pull is done, sync answers NOT_READY with nothing; afterwards everything', async () => {
  const item = fake.connect({ institutionId: 'ins_mff_basic', history: { count: 40 } });
  item.notReady();
  const early = (await plaid.transactionsSync({ access_token: item.accessToken })).data;
  assert.deepEqual([early.transactions_update_status, early.added.length, early.has_more, early.next_cursor], ['NOT_READY', 0, false, '']);
  await item.ready();
  const r = await syncAll(plaid, item.accessToken, early.next_cursor);
  assert.equal(r.added.length, 40);
});
