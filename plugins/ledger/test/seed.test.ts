// The category seed: every Plaid PFC code has a friendly home, and a new household gets them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PFC_CATEGORIES, PFC_GROUPS } from '../data/pfc-names.ts';
import { buildCategorySeed, seedCategories } from '../service/category-seed.ts';
import { listCategories } from '../service/categories.ts';
import { PFC_CSV_PATH, parsePfcTaxonomy, pfcTaxonomy } from '../service/pfc-taxonomy.ts';
import { ledgerTestDb, type LedgerTestDb } from './support.ts';

describe('PFC taxonomy and friendly names', () => {
  it("the plugin's copy of the taxonomy is Plaid's published file", () => {
    const shared = resolve(import.meta.dirname, '../../../../shared/specs/plaid-pfc-taxonomy.csv');
    const copy = readFileSync(PFC_CSV_PATH, 'utf8');
    // ../shared is the design workspace; when it is present the copy must not have drifted.
    if (existsSync(shared)) assert.equal(copy, readFileSync(shared, 'utf8'));
    const { entries } = parsePfcTaxonomy(copy);
    assert.equal(entries.length, 123);
    assert.deepEqual(entries[0], { primary: 'INCOME', detailed: 'INCOME_CHILD_SUPPORT' });
  });

  it('reads renamed PFC v1 codes as aliases, and ignores the header and note rows', () => {
    const t = parsePfcTaxonomy('PFCv2 Primary,PFCv2 Detailed,,PFCv1 Primary,PFCv1 Detailed\nNote: x,,,,\r\nINCOME,INCOME_SALARY,,INCOME,INCOME_WAGES\r\nOTHER,OTHER_OTHER,,A / B,C / D\n');
    assert.deepEqual(t.entries.map((e) => e.detailed), ['INCOME_SALARY', 'OTHER_OTHER']);
    assert.deepEqual([...t.v1Aliases], [['INCOME_WAGES', 'INCOME_SALARY']]);
  });

  it('every primary and detailed code has a friendly name, and no name is stale', () => {
    const { entries } = pfcTaxonomy();
    const primaries = new Set(entries.map((e) => e.primary));
    assert.deepEqual([...primaries].filter((p) => !PFC_GROUPS[p]), []);
    assert.deepEqual(entries.filter((e) => !PFC_CATEGORIES[e.detailed]).map((e) => e.detailed), []);
    const codes = new Set(entries.map((e) => e.detailed));
    assert.deepEqual(Object.keys(PFC_CATEGORIES).filter((c) => !codes.has(c)), []);
    assert.deepEqual(Object.keys(PFC_GROUPS).filter((p) => !primaries.has(p)), []);
  });

  it('builds 18 groups, 123 categories, and a mapping for every code, alias and primary', () => {
    const seed = buildCategorySeed();
    const groups = seed.categories.filter((c) => c.parent_id === null);
    assert.equal(groups.length, 18);
    assert.equal(seed.categories.length - groups.length, 123);
    assert.equal(seed.mappings.length, 123 + 3 + 18);
    const names = seed.categories.map((c) => `${c.parent_id ?? ''}/${c.name.toLowerCase()}`);
    assert.equal(new Set(names).size, names.length, 'names are unique within a group');
  });

  it('names groups for friendly titles (a code Plaid adds later still gets a readable name)', () => {
    const seed = buildCategorySeed(parsePfcTaxonomy('PETS,PETS_GROOMING_AND_SPA\nPETS,PETS_OTHER_PETS\n'));
    assert.deepEqual(seed.categories.map((c) => c.name), ['Pets', 'Grooming And Spa', 'Other Pets']);
    const other = seed.categories[2].id;
    assert.deepEqual(seed.mappings.find((m) => m.pfc_code === 'PETS'), { pfc_code: 'PETS', category_id: other });
  });
});

describe('seedCategories', () => {
  let t: LedgerTestDb;
  let hh: string;
  before(async () => {
    t = await ledgerTestDb();
    hh = await t.household();
  });
  after(() => t?.close());

  it("creates the household's groups and categories, mapped from PFC codes", async () => {
    assert.deepEqual(await t.as(hh, seedCategories), { created: 141 });
    const all = await t.as(hh, (tx) => listCategories(tx));
    const group = (name: string) => all.find((c) => c.isGroup && c.name === name)!;
    const inGroup = (name: string) => all.filter((c) => c.parentId === group(name).id).map((c) => c.name);

    assert.deepEqual(all.filter((c) => c.isGroup).slice(0, 3).map((c) => c.name), ['Income', 'Food & Drink', 'Shopping']);
    assert.deepEqual(inGroup('Food & Drink'), [
      'Beer, Wine & Liquor', 'Coffee', 'Fast Food', 'Groceries', 'Restaurants', 'Vending Machines', 'Other Food & Drink',
    ]);
    assert.equal(group('Income').kind, 'income');
    assert.equal(group('Transfers Out').kind, 'transfer');
    const byName = (name: string) => all.find((c) => !c.isGroup && c.name === name)!;
    assert.deepEqual(byName('Groceries').pfcCodes, ['FOOD_AND_DRINK_GROCERIES']);
    assert.deepEqual(byName('Other Food & Drink').pfcCodes, ['FOOD_AND_DRINK', 'FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK']);
    assert.deepEqual(byName('Salary & Wages').pfcCodes, ['INCOME_SALARY', 'INCOME_WAGES']);
    assert.equal(byName('Salary & Wages').kind, 'income');
    assert.equal(byName('Credit Card Payment').kind, 'transfer');
    assert.equal(byName('Mortgage Payment').kind, 'expense');
    assert.equal(all.length, 141);
  });

  it('does nothing for a household that already has categories, and seeds each household separately', async () => {
    assert.deepEqual(await t.as(hh, seedCategories), { created: 0 });
    const other = await t.household();
    assert.deepEqual(await t.as(other, seedCategories), { created: 141 });
    const [{ n }] = await t.as(hh, (tx) => tx`select count(*)::int as n from ledger.categories`);
    assert.equal(n, 141);
  });
});
