// listTransactions: keyset pages that are complete and stable, and every filter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SourceTransactionT } from '../schemas/batch.ts';
import { createAccount } from '../service/accounts.ts';
import { applyTransactionBatch } from '../service/batch.ts';
import { seedCategories } from '../service/category-seed.ts';
import { listTransactions } from '../service/list-transactions.ts';
import { updateTransaction } from '../service/transactions.ts';
import type { TransactionListQueryT } from '../schemas/transactions.ts';
import { ledgerTestDb, type LedgerTestDb } from './support.ts';

const PAYEES = ['Whole Foods', 'Blue Bottle Coffee', 'Shell', 'Amazon', 'Landlord LLC', '100% Juice_Bar'];
const PFC = ['FOOD_AND_DRINK_GROCERIES', 'FOOD_AND_DRINK_COFFEE', 'TRANSPORTATION_GAS', null, 'RENT_AND_UTILITIES_RENT', null];

describe('listTransactions', () => {
  let t: LedgerTestDb;
  let hh: string;
  let checking: string;
  let card: string;
  let added: SourceTransactionT[];
  const list = (q: TransactionListQueryT, scanBudget?: number) => t.as(hh, (tx) => listTransactions(tx, q, { scanBudget }));
  /** Every page of a query, following nextCursor. */
  async function all(q: TransactionListQueryT, between?: (served: string[]) => Promise<void>, scanBudget?: number) {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list({ ...q, cursor }, scanBudget);
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
      if (between) await between(ids);
    } while (cursor);
    return { ids, pages };
  }
  const expected = (where: string) =>
    t.as(hh, (tx) => tx.unsafe(`select id from ledger.transactions where ${where} order by date desc, id desc`)).then((r) => r.map((x) => x.id as string));

  before(async () => {
    t = await ledgerTestDb();
    hh = await t.household();
    await t.as(hh, async (tx) => {
      await seedCategories(tx);
      checking = (await createAccount(tx, { name: 'Checking', type: 'depository', currency: 'USD' })).id;
      card = (await createAccount(tx, { name: 'Card', type: 'credit', currency: 'USD' })).id;
      // 600 transactions over 40 days: many share a date, so the id tie-break matters.
      added = Array.from({ length: 600 }, (_, i) => ({
        accountId: i % 3 === 0 ? card : checking,
        externalId: `e${i}`,
        date: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`,
        amount: i % 10 === 0 ? `${1000 + i}.00` : `-${(i % 97) + 1}.${String(i % 100).padStart(2, '0')}`,
        currency: 'USD',
        payee: PAYEES[i % PAYEES.length],
        description: `POS ${i}`,
        pending: i % 50 === 0,
        providerCategory: PFC[i % PFC.length] ? { detailed: PFC[i % PFC.length]! } : null,
      }));
      await applyTransactionBatch(tx, { source: 'import', added });
    });
  });
  after(() => t?.close());

  it('pages through everything exactly once, newest first', async () => {
    const { ids, pages } = await all({ limit: 37 });
    assert.equal(pages, Math.ceil(600 / 37));
    assert.equal(new Set(ids).size, 600);
    assert.deepEqual(ids, await expected('true'));
  });

  it('pages stay stable while rows are added and removed', async () => {
    const before = await expected('true');
    let n = 0;
    // After each page: a newer transaction arrives, and the very row the cursor points at disappears.
    const { ids } = await all({ limit: 50 }, async (served) => {
      n++;
      await t.as(hh, async (tx) => {
        await applyTransactionBatch(tx, {
          source: 'plaid',
          added: [{ accountId: checking, externalId: `new-${n}`, date: '2025-02-15', amount: '-1.00', currency: 'USD' }],
        });
        await tx`delete from ledger.transactions where id = ${served.at(-1)!}`;
      });
    });
    assert.deepEqual(ids, before);
    // Put things back: the import re-applied restores exactly the deleted rows (idempotent).
    await t.as(hh, async (tx) => {
      await tx`delete from ledger.transactions where source = 'plaid'`;
      const r = await applyTransactionBatch(tx, { source: 'import', added });
      assert.equal(r.inserted.length, n);
    });
  });

  it('filters by date range, account, amount range, pending', async () => {
    assert.deepEqual((await all({ from: '2025-01-10', to: '2025-01-12', limit: 20 })).ids, await expected(`date between '2025-01-10' and '2025-01-12'`));
    assert.deepEqual((await all({ accountId: [card], limit: 100 })).ids, await expected(`account_id = '${card}'`));
    assert.deepEqual((await all({ accountId: `${card},${checking}`, limit: 500 })).ids.length, 600);
    assert.deepEqual((await all({ minAmount: '-10', maxAmount: '-5.5', limit: 100 })).ids, await expected(`amount between -10 and -5.5`));
    assert.deepEqual((await all({ pending: true })).ids, await expected('pending'));
    assert.equal((await all({ pending: 'false' as unknown as boolean, limit: 500 })).ids.length, 588);
  });

  it('filters by category (a group includes its categories) and uncategorized', async () => {
    const [food, coffee] = await t.as(hh, (tx) => tx`select id from ledger.categories where name in ('Food & Drink', 'Coffee') order by name desc`.then((r) => r.map((x) => x.id as string)));
    const groceriesOrCoffee = await expected(`provider_category_detailed in ('FOOD_AND_DRINK_GROCERIES', 'FOOD_AND_DRINK_COFFEE')`);
    assert.equal(groceriesOrCoffee.length, 200);
    assert.deepEqual((await all({ categoryId: [food], limit: 500 })).ids, groceriesOrCoffee);
    assert.deepEqual((await all({ categoryId: [coffee], limit: 500 })).ids, await expected(`provider_category_detailed = 'FOOD_AND_DRINK_COFFEE'`));
    const none = await expected('category_id is null');
    assert.equal(none.length, 200);
    assert.deepEqual((await all({ uncategorized: true, limit: 500 })).ids, none);
    assert.deepEqual((await all({ uncategorized: true, categoryId: [coffee], limit: 500 })).ids,
      await expected(`category_id is null or provider_category_detailed = 'FOOD_AND_DRINK_COFFEE'`));
  });

  it('filters by tags (all of them) and searches payee, description and notes', async () => {
    const [x, y] = (await list({ limit: 2 })).items;
    await t.as(hh, (tx) => updateTransaction(tx, x.id, { tags: ['trip', 'shared'], notes: 'Souvenirs for GRANDMA' }));
    await t.as(hh, (tx) => updateTransaction(tx, y.id, { tags: ['trip'] }));
    assert.deepEqual((await list({ tags: ['trip'] })).items.map((i) => i.id).sort(), [x.id, y.id].sort());
    assert.deepEqual((await list({ tags: 'trip,shared' as unknown as string[] })).items.map((i) => i.id), [x.id]);
    assert.deepEqual((await list({ tags: ['TRIP', 'Shared'] })).items.map((i) => i.id), [x.id], 'whatever the case');
    assert.deepEqual((await list({ tags: ['trip', 'Trip', 'shared'] })).items.map((i) => i.id), [x.id], 'the same tag twice is one tag');

    assert.deepEqual((await list({ q: 'grandma' })).items.map((i) => i.id), [x.id]);
    assert.deepEqual((await all({ q: 'blue bottle', limit: 500 })).ids, await expected(`payee = 'Blue Bottle Coffee'`));
    assert.deepEqual((await all({ q: 'pos 12', limit: 500 })).ids, await expected(`description ilike 'POS 12%'`));
    // LIKE wildcards in the search are literal characters.
    assert.deepEqual((await all({ q: '100%', limit: 500 })).ids, await expected(`payee = '100% Juice_Bar'`));
    assert.deepEqual((await list({ q: 'ic_' })).items, []); // '_' as a wildcard would match "Juice"
    assert.equal((await list({ q: 'Juice_Bar', limit: 1 })).items.length, 1);
  });

  it('a search that runs out of its scan budget returns a short page and continues where it stopped', async () => {
    const [oldest] = await expected(`true order by date, id limit 1 --`);
    await t.as(hh, (tx) => updateTransaction(tx, oldest, { notes: 'the needle' }));
    const first = await list({ q: 'NEEDLE', limit: 10 }, 100);
    assert.deepEqual(first.items, []);
    assert.match(first.searchedBackTo ?? '', /^2025-01-\d\d$/);
    assert.ok(first.nextCursor);
    const found = await all({ q: 'needle', limit: 10 }, undefined, 100);
    assert.deepEqual(found.ids, [oldest]);
    assert.equal(found.pages, 7); // 600 rows, 100 examined per request, and one more to learn it ended
    // With filters that scan, every page still comes out complete and in order, whatever the budget.
    for (const budget of [7, 64, 100_000]) {
      assert.deepEqual((await all({ minAmount: '1000', limit: 9 }, undefined, budget)).ids, await expected('amount >= 1000'));
    }
    await t.as(hh, (tx) => updateTransaction(tx, oldest, { notes: null }));
  });

  it('refuses a cursor it did not make and contradictory dates', async () => {
    await assert.rejects(list({ cursor: 'bm90LWEtY3Vyc29y' }), (e: Error & { status?: number }) => e.status === 400);
    await assert.rejects(list({ from: '2025-02-01', to: '2025-01-01' }), (e: Error & { status?: number }) => e.status === 400);
    await assert.rejects(list({ minAmount: '-5', maxAmount: '-5.5' }), (e: Error & { status?: number }) => e.status === 400 && /minAmount is more than maxAmount/.test(e.message));
    assert.ok(Array.isArray((await list({ minAmount: '-5.5', maxAmount: '-5.50' })).items), 'equal bounds are a range of one amount');
    await assert.rejects(list({ limit: 501 }), (e: Error & { status?: number }) => e.status === 400);
  });

  it('returns the fields the API documents', async () => {
    const [item] = (await list({ q: 'blue bottle', limit: 1 })).items;
    assert.equal(item.accountName, 'Checking');
    assert.equal(item.categoryName, 'Coffee');
    assert.equal(item.categorySource, 'provider');
    assert.match(item.date, /^2025-01-\d\d$/);
    assert.match(item.amount, /^-?\d+\.\d\d$/);
    assert.deepEqual(item.providerCategory, { primary: null, detailed: 'FOOD_AND_DRINK_COFFEE' });
    assert.match(item.createdAt, /^\d{4}-\d\d-\d\dT/);
  });
});
