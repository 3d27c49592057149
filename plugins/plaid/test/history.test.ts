// Generated history is deterministic and looks like a household's year; the change log nets
// updates out the way /transactions/sync reports them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakePlaid } from '../fake/index.ts';
import { TAXONOMY } from '../fake/pfc.ts';
import { TransactionLog } from '../fake/transaction-log.ts';
import type { StoredTransaction } from '../fake/types.ts';

const fixedNow = () => new Date('2025-06-30T12:00:00Z');

async function year(seed: string) {
  const fake = await FakePlaid.start({ seed, now: fixedNow });
  try {
    const item = fake.connect({ institutionId: 'ins_mff_demo', history: { count: 1500, days: 365 } });
    return { itemId: item.itemId, accounts: item.item.accounts.map((a) => a.account_id), txns: item.item.log.current(), item };
  } finally {
    await fake.close();
  }
}

test('the same seed and clock give the same item, accounts and transactions; another seed does not', async () => {
  const a = await year('household-a');
  const b = await year('household-a');
  const c = await year('household-b');
  assert.equal(a.itemId, b.itemId);
  assert.deepEqual(a.accounts, b.accounts);
  assert.deepEqual(a.txns, b.txns);
  assert.notEqual(a.itemId, c.itemId);
  assert.notDeepEqual(a.txns.map((t) => t.amount), c.txns.map((t) => t.amount));
});

test('a generated year looks like a household: pay cheques, rent, mirrored transfers, real categories', async () => {
  const { txns, item } = await year('realism');
  const checking = item.account('checking').account_id;
  const savings = item.account('savings').account_id;
  const card = item.account('card').account_id;
  assert.equal(txns.length, 1500);
  assert.equal(new Set(txns.map((t) => t.transaction_id)).size, 1500);
  assert.ok(txns.every((t) => t.date >= '2024-07-01' && t.date <= '2025-06-30'));
  assert.ok(txns.every((t) => /^-?\d+(\.\d{1,2})?$/.test(String(t.amount)) && t.amount !== 0), 'whole cents, never zero');
  const categories = new Set(TAXONOMY.map((c) => c.detailed));
  assert.ok(txns.every((t) => categories.has(t.category)));
  assert.ok(new Set(txns.map((t) => t.category)).size >= 25, 'a varied year');

  const salary = txns.filter((t) => t.category === 'INCOME_SALARY');
  assert.ok(salary.length >= 26 && salary.every((t) => t.amount < 0 && t.account_id === checking));
  const rent = txns.filter((t) => t.category === 'RENT_AND_UTILITIES_RENT');
  assert.equal(rent.length, 12);
  assert.ok(rent.every((t) => t.date.endsWith('-01')));
  const sum = (xs: StoredTransaction[]) => Math.round(xs.reduce((s, t) => s + t.amount * 100, 0));
  const out = txns.filter((t) => t.category === 'TRANSFER_OUT_SAVINGS');
  const into = txns.filter((t) => t.category === 'TRANSFER_IN_SAVINGS');
  assert.ok(out.length === 12 && out.every((t) => t.account_id === checking) && into.every((t) => t.account_id === savings));
  assert.equal(sum(out), -sum(into));
  assert.ok(txns.filter((t) => t.account_id === card).length > 300, 'most everyday spending is on the card');
  assert.ok(txns.some((t) => t.merchant === null), 'the long tail has no merchant');
  assert.ok(txns.filter((t) => t.pending).every((t) => t.date >= '2025-06-29'));
});

test('the change log reports net updates since a position', () => {
  const log = new TransactionLog();
  const t = (id: string, amount = 1): StoredTransaction => ({
    transaction_id: id, account_id: 'acc', amount, iso_currency_code: 'USD', date: '2025-01-01', authorized_date: null, name: id,
    merchant: null, category: 'OTHER_OTHER', payment_channel: 'other', pending: false, pending_transaction_id: null, check_number: null, city: null, region: null,
  });
  log.add(t('a'));
  log.add(t('b'));
  log.add(t('c'));
  const seen = log.head;
  log.replace(t('a', 2));
  log.remove('b');
  log.add(t('d'));
  log.add(t('e'));
  log.remove('e');
  log.replace(t('d', 5));
  const view = (from: number) => log.updatesSince(from).map((u) => `${u.kind}:${u.txn.transaction_id}:${u.txn.amount}`);
  assert.deepEqual(view(seen), ['modified:a:2', 'removed:b:1', 'added:d:5']);
  assert.deepEqual(view(0), ['added:a:2', 'added:c:1', 'added:d:5']);
  assert.deepEqual(view(log.head), []);
  assert.throws(() => log.add(t('a')), /already exists/);
  assert.throws(() => log.remove('b'), /no transaction/);
  assert.throws(() => log.updatesSince(log.head + 1), RangeError);
});
