// Categories: create, rename, hide, move, merge (transactions and PFC mappings follow), delete.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createAccount } from '../service/accounts.ts';
import { applyTransactionBatch } from '../service/batch.ts';
import { createCategory, deleteCategory, getCategory, listCategories, updateCategory } from '../service/categories.ts';
import { mergeCategories } from '../service/category-merge.ts';
import { seedCategories } from '../service/category-seed.ts';
import { createTransaction, getTransaction } from '../service/transactions.ts';
import type { Tx } from '../service/tx.ts';
import { ledgerTestDb, type LedgerTestDb } from './support.ts';

const status = (code: number) => (err: Error & { status?: number }) => err.status === code;

describe('categories', () => {
  let t: LedgerTestDb;
  let hh: string;
  let accountId: string;
  const id = (tx: Tx, name: string) => tx`select id from ledger.categories where name = ${name}`.then(([r]) => r?.id as string);

  before(async () => {
    t = await ledgerTestDb();
  });
  beforeEach(async () => {
    hh = await t.household();
    await t.as(hh, seedCategories);
    accountId = (await t.as(hh, (tx) => createAccount(tx, { name: 'Cash', type: 'depository', currency: 'USD' }))).id;
  });
  after(() => t?.close());

  it('creates a group and a category in it (kind from the group), refusing a third level', async () => {
    const pets = await t.as(hh, (tx) => createCategory(tx, { name: 'Pets', kind: 'expense' }));
    assert.equal(pets.isGroup, true);
    const vet = await t.as(hh, (tx) => createCategory(tx, { name: ' Vet ', parentId: pets.id }));
    assert.deepEqual([vet.name, vet.parentId, vet.kind, vet.isGroup], ['Vet', pets.id, 'expense', false]);
    await assert.rejects(t.as(hh, (tx) => createCategory(tx, { name: 'Too deep', parentId: vet.id })), status(400));
    await assert.rejects(t.as(hh, (tx) => createCategory(tx, { name: 'vet', parentId: pets.id })), status(409));
  });

  it('renames and hides; hidden ones are listed only when asked', async () => {
    const coffee = await t.as(hh, (tx) => id(tx, 'Coffee'));
    const renamed = await t.as(hh, (tx) => updateCategory(tx, coffee, { name: 'Coffee Shops', hidden: true }));
    assert.deepEqual([renamed.name, renamed.hidden], ['Coffee Shops', true]);
    assert.equal((await t.as(hh, (tx) => listCategories(tx))).some((c) => c.id === coffee), false);
    assert.equal((await t.as(hh, (tx) => listCategories(tx, { includeHidden: true }))).some((c) => c.id === coffee), true);
    await assert.rejects(t.as(hh, (tx) => updateCategory(tx, coffee, { name: 'groceries' })), status(409));
  });

  it('moves a category to another group, but never a group that has categories', async () => {
    const [coffee, travel, food] = await t.as(hh, async (tx) => [await id(tx, 'Coffee'), await id(tx, 'Travel'), await id(tx, 'Food & Drink')]);
    assert.equal((await t.as(hh, (tx) => updateCategory(tx, coffee, { parentId: travel }))).parentId, travel);
    await assert.rejects(t.as(hh, (tx) => updateCategory(tx, food, { parentId: travel })), status(400));
    assert.equal((await t.as(hh, (tx) => getCategory(tx, food))).isGroup, true);
  });

  it('merging moves transactions and the PFC mapping, then deletes the merged category', async () => {
    const [fast, restaurants] = await t.as(hh, async (tx) => [await id(tx, 'Fast Food'), await id(tx, 'Restaurants')]);
    const manual = await t.as(hh, (tx) => createTransaction(tx, { accountId, date: '2025-01-02', amount: '-9.99', categoryId: fast }));
    const result = await t.as(hh, (tx) => mergeCategories(tx, { fromId: fast, intoId: restaurants }));
    assert.deepEqual(result, { merged: [{ fromId: fast, intoId: restaurants }], transactionIds: [manual.id] });
    const after = await t.as(hh, (tx) => getTransaction(tx, manual.id));
    assert.deepEqual([after.categoryId, after.categorySource], [restaurants, 'user']);
    await assert.rejects(t.as(hh, (tx) => getCategory(tx, fast)), status(404));
    // A provider transaction in the merged PFC code now lands in the surviving category.
    await t.as(hh, (tx) => applyTransactionBatch(tx, {
      source: 'plaid',
      added: [{ accountId, externalId: 'x', date: '2025-01-03', amount: '-5', currency: 'USD', providerCategory: { detailed: 'FOOD_AND_DRINK_FAST_FOOD' } }],
    }));
    const [row] = await t.as(hh, (tx) => tx`select category_id from ledger.transactions where external_id = 'x'`);
    assert.equal(row.category_id, restaurants);
    assert.deepEqual((await t.as(hh, (tx) => getCategory(tx, restaurants))).pfcCodes, ['FOOD_AND_DRINK_FAST_FOOD', 'FOOD_AND_DRINK_RESTAURANT']);
  });

  it('merging a group into a group merges same-named categories and moves the rest', async () => {
    const [transfersIn, transfersOut] = await t.as(hh, async (tx) => [await id(tx, 'Transfers In'), await id(tx, 'Transfers Out')]);
    // Give the two groups one category name in common.
    const wireIn = await t.as(hh, (tx) => id(tx, 'Incoming Wire'));
    await t.as(hh, (tx) => updateCategory(tx, wireIn, { name: 'Outgoing Wire' }));
    const wireOut = await t.as(hh, (tx) => tx`select id from ledger.categories where name = 'Outgoing Wire' and parent_id = ${transfersOut}`.then(([r]) => r.id as string));
    const moved = await t.as(hh, (tx) => createTransaction(tx, { accountId, date: '2025-01-02', amount: '100', categoryId: wireIn }));

    const result = await t.as(hh, (tx) => mergeCategories(tx, { fromId: transfersIn, intoId: transfersOut }));
    assert.deepEqual(result.merged, [{ fromId: wireIn, intoId: wireOut }, { fromId: transfersIn, intoId: transfersOut }]);
    assert.deepEqual(result.transactionIds, [moved.id]);
    const all = await t.as(hh, (tx) => listCategories(tx));
    const children = all.filter((c) => c.parentId === transfersOut).map((c) => c.name);
    assert.equal(children.filter((n) => n === 'Outgoing Wire').length, 1);
    assert.ok(children.includes('Deposit') && children.includes('Other Transfer In'));
    assert.equal(all.some((c) => c.id === transfersIn), false);
    await assert.rejects(t.as(hh, (tx) => mergeCategories(tx, { fromId: transfersOut, intoId: wireOut })), status(400));
  });

  it('deleting a group deletes its categories; their transactions become uncategorized and open to automation', async () => {
    const [travel, flights] = await t.as(hh, async (tx) => [await id(tx, 'Travel'), await id(tx, 'Flights')]);
    const trip = await t.as(hh, (tx) => createTransaction(tx, { accountId, date: '2025-01-02', amount: '-300', categoryId: flights }));
    const result = await t.as(hh, (tx) => deleteCategory(tx, travel));
    assert.equal(result.categoryIds.length, 5);
    assert.deepEqual(result.transactionIds, [trip.id]);
    const after = await t.as(hh, (tx) => getTransaction(tx, trip.id));
    assert.deepEqual([after.categoryId, after.categorySource], [null, null]);
  });
});
