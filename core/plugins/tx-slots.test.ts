// Transaction slots: a pool keeps connections for plain statements; transactions beyond the limit
// wait in arrival order, and a slot given back twice counts once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sql } from 'postgres';
import { openTransactionLimit, takeTransactionSlot } from './tx-slots.ts';

const pool = (max: number) => ({ options: { max } }) as unknown as Sql;
const settled = async (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise((r) => setImmediate(() => r(false)))]);

test('a quarter of the pool (at least one connection) is kept for plain statements', () => {
  assert.deepEqual([2, 3, 4, 10, 20].map(openTransactionLimit), [1, 2, 3, 8, 15]);
});

test('transactions beyond the limit wait, first come first served; a double release frees one slot', async () => {
  const p = pool(4);
  const held = [await takeTransactionSlot(p), await takeTransactionSlot(p), await takeTransactionSlot(p)];
  const fourth = takeTransactionSlot(p);
  const fifth = takeTransactionSlot(p);
  assert.equal(await settled(fourth), false);
  held[0]();
  held[0]();
  assert.equal(await settled(fourth), true);
  assert.equal(await settled(fifth), false, 'the second release of the same slot must not let another transaction in');
  held[1]();
  assert.equal(await settled(fifth), true);
});
