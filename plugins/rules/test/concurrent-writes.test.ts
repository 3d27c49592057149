// Many manual transactions created at once on one account: each runs the rules inside the ledger's
// open transaction (the rules service reads the rules and counts what fired on connections of its
// own), while the others wait on that account's row lock. Every request must succeed; before the
// kernel kept connections for plain statements (core/plugins/tx-slots.ts), the waiting transactions
// held the whole pool and the first one could not reach the rules: all of them failed at the
// 30-second transaction deadline.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { createRule } from './helpers.ts';

let t: TestKernel;
let s: TestSession;

before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
  s = await t.signUp();
});
after(() => t?.close());

test('twelve transactions created at once on one account all succeed, each with the rules applied', { timeout: 60_000 }, async () => {
  const account = await s.api('POST', '/api/v1/ledger/accounts', { name: 'Wallet', type: 'depository', currency: 'EUR' });
  assert.equal(account.status, 201, account.text);
  await createRule(s, { conditions: [{ field: 'payee', op: 'contains', value: 'bakery' }], actions: [{ type: 'add_tag', value: 'bread' }] });
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    s.api('POST', '/api/v1/ledger/transactions', { accountId: account.json().id, date: '2026-11-01', amount: `-${i + 1}.00`, payee: `Bakery ${i}` })));
  assert.deepEqual(results.map((r) => r.status), Array(12).fill(201), results.find((r) => r.status !== 201)?.text ?? '');
  assert.ok(results.every((r) => r.json().tags.includes('bread')));
  const list = await s.api('GET', `/api/v1/ledger/transactions?accountId=${account.json().id}&limit=50`);
  assert.equal(list.json().items.length, 12);
});
