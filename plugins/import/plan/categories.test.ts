// QIF category values read and matched to a household's categories, as pure functions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LedgerCategory } from '../ledger/services.ts';
import { categoryResolver, readFileCategory, summarizeCategories } from './categories.ts';

const food = { id: 'g-food', parentId: null, name: 'Food & Drink', isGroup: true };
const transport = { id: 'g-transport', parentId: null, name: 'Transportation', isGroup: true };
const travel = { id: 'g-travel', parentId: null, name: 'Travel', isGroup: true };
const categories: LedgerCategory[] = [
  food, transport, travel,
  { id: 'c-groceries', parentId: food.id, name: 'Groceries', isGroup: false },
  { id: 'c-coffee', parentId: food.id, name: 'Coffee', isGroup: false },
  { id: 'c-parking', parentId: transport.id, name: 'Parking', isGroup: false },
  { id: 'c-parking-2', parentId: travel.id, name: 'Parking', isGroup: false },
  { id: 'c-cafe', parentId: food.id, name: 'Café', isGroup: false },
];

describe('QIF categories', () => {
  it('reads category, Group:Category and [transfer] values, dropping a /Class; splits and empty values name nothing', () => {
    assert.deepEqual(readFileCategory('Groceries'), { kind: 'category', written: 'Groceries', name: 'Groceries' });
    assert.deepEqual(readFileCategory(' Auto : Fuel /Business'), { kind: 'category', written: 'Auto:Fuel', group: 'Auto', name: 'Fuel' });
    assert.deepEqual(readFileCategory('[Checking]'), { kind: 'transfer', account: 'Checking' });
    assert.deepEqual(readFileCategory('[Joint Savings]/Household'), { kind: 'transfer', account: 'Joint Savings' });
    assert.deepEqual(readFileCategory('Auto:'), { kind: 'category', written: 'Auto', name: 'Auto' });
    for (const none of [undefined, '', '  ', '/Business', '[]', '--Split--', ':']) assert.equal(readFileCategory(none), null, String(none));
  });

  it('matches case-insensitively: Group:Category in its group, a bare name only when one category or group has it', () => {
    const resolve = categoryResolver(categories);
    assert.deepEqual(resolve('food & drink:GROCERIES'), { kind: 'matched', categoryId: 'c-groceries' });
    assert.deepEqual(resolve('coffee/Work'), { kind: 'matched', categoryId: 'c-coffee' });
    assert.deepEqual(resolve('Food & Drink'), { kind: 'matched', categoryId: 'g-food' });
    assert.deepEqual(resolve('CAFÉ'), { kind: 'matched', categoryId: 'c-cafe' });
    assert.deepEqual(resolve('Travel:Parking'), { kind: 'matched', categoryId: 'c-parking-2' });
    assert.deepEqual(resolve('Parking'), { kind: 'ambiguous', written: 'Parking', candidates: ['Transportation:Parking', 'Travel:Parking'] });
    // The right name in the wrong group, or a group name used as a category, is not a match.
    assert.deepEqual(resolve('Travel:Groceries'), { kind: 'unknown', written: 'Travel:Groceries' });
    assert.deepEqual(resolve('Auto:Fuel'), { kind: 'unknown', written: 'Auto:Fuel' });
    assert.deepEqual(resolve('[Savings]'), { kind: 'transfer', account: 'Savings' });
    assert.equal(resolve('--Split--'), null);
    assert.equal(resolve(undefined), null);
  });

  it('summarizes the rows to add: unknown names once each (first spelling, first line), sorted, with their rows', () => {
    const resolve = categoryResolver(categories);
    const rows = ['Groceries', 'Pets', 'gifts', 'Auto:Fuel', 'Gifts', 'Parking', '[Savings]', undefined, 'Coffee']
      .map((v, i) => ({ line: 10 + i, category: resolve(v) }));
    assert.deepEqual(summarizeCategories(rows), {
      matched: 2,
      unknown: [{ name: 'Auto:Fuel', rows: 1, firstLine: 13 }, { name: 'gifts', rows: 2, firstLine: 12 }, { name: 'Pets', rows: 1, firstLine: 11 }],
      ambiguous: [{ name: 'Parking', rows: 1, firstLine: 15, candidates: ['Transportation:Parking', 'Travel:Parking'] }],
      transfers: 1,
    });
  });
});
