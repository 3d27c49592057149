// applyTransactionBatch against real PostgreSQL: idempotency, atomicity with the caller's
// transaction, the user's choices surviving the source, pending → posted, removals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SourceTransactionT } from '../schemas/batch.ts';
import { createAccount } from '../service/accounts.ts';
import { applyTransactionBatch } from '../service/batch.ts';
import { seedCategories } from '../service/category-seed.ts';
import { HttpError } from '../service/errors.ts';
import { upsertAccounts } from '../service/source-accounts.ts';
import { getSourceCursor } from '../service/source-cursors.ts';
import { applyRuleChanges } from '../service/rule-changes.ts';
import { getTransaction, updateTransaction } from '../service/transactions.ts';
import type { Tx } from '../service/tx.ts';
import { ledgerTestDb, type LedgerTestDb } from './support.ts';

describe('applyTransactionBatch', () => {
  let t: LedgerTestDb;
  let hh: string;
  let accountId: string;
  const categoryId = (tx: Tx, name: string) =>
    tx`select id from ledger.categories where name = ${name}`.then(([r]) => r.id as string);
  const rows = (tx: Tx) =>
    tx`select external_id, payee, amount::text, category_id, category_source, notes, tags, pending from ledger.transactions order by external_id`;

  const txn = (externalId: string, extra: Partial<SourceTransactionT> = {}): SourceTransactionT => ({
    accountId, externalId, date: '2025-03-01', amount: '-4.50', currency: 'USD', payee: 'Blue Bottle', ...extra,
  });

  before(async () => {
    t = await ledgerTestDb();
    hh = await t.household();
    await t.as(hh, async (tx) => {
      await seedCategories(tx);
      const ids = await upsertAccounts(tx, 'plaid', [{ externalId: 'acc-1', name: 'Checking', type: 'depository', currency: 'USD' }]);
      accountId = ids.get('acc-1')!;
    });
  });
  after(() => t?.close());

  const clear = () => t.as(hh, (tx) => tx`delete from ledger.transactions`);

  it('the same batch applied twice leaves one copy of each transaction, and reports nothing the second time', async () => {
    await clear();
    const batch = { source: 'plaid', added: [txn('t1'), txn('t2', { amount: '-12.00' }), txn('t3', { amount: '2500.00' })] };
    const first = await t.as(hh, (tx) => applyTransactionBatch(tx, batch));
    assert.equal(first.inserted.length, 3);
    const second = await t.as(hh, (tx) => applyTransactionBatch(tx, batch));
    assert.deepEqual({ ...second }, { inserted: [], updated: [], removed: [], unchanged: 3 });
    const stored = await t.as(hh, rows);
    assert.deepEqual(stored.map((r) => [r.external_id, r.amount]), [['t1', '-4.50'], ['t2', '-12.00'], ['t3', '2500.00']]);
  });

  it('text and tags arrive exactly as sent: quotes, backslashes, commas, braces, "NULL", unicode; a missing value stays null', async () => {
    await clear();
    const awkward = ['Joe\'s "Diner", {No. 1}', 'C:\\path\\to \\"x\\"', 'NULL', '  padded  ', 'Café ☕ naïve', 'a\tb'];
    const added = awkward.map((payee, i) => txn(`w${i}`, { payee, description: `${payee} / ${i}`, notes: i === 0 ? 'NULL' : null }));
    added.push(txn('w9', { payee: null, description: null, tags: ['say "hi"', 'back\\slash', 'a,b', '{x}', 'NULL'] }));
    await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added }));
    const stored = await t.as(hh, (tx) => tx`select external_id, payee, description, notes, tags from ledger.transactions order by external_id`);
    assert.deepEqual(stored.map((r) => [r.external_id, r.payee, r.description, r.notes, r.tags]), [
      ...awkward.map((payee, i) => [`w${i}`, payee.trim(), `${payee} / ${i}`.trim(), i === 0 ? 'NULL' : null, []]),
      ['w9', null, null, null, ['say "hi"', 'back\\slash', 'a,b', '{x}', 'NULL']],
    ]);
  });

  it('new transactions get time-ordered ids (UUID v7): a later batch sorts after an earlier one', async () => {
    await clear();
    const first = await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [txn('o1'), txn('o2')] }));
    await new Promise((r) => setTimeout(r, 5)); // the id's clock has millisecond resolution
    const second = await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [txn('o3')] }));
    for (const id of [...first.inserted, ...second.inserted]) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const stamp = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    assert.ok(Math.abs(stamp(second.inserted[0]) - Date.now()) < 60_000, 'the leading 48 bits are the Unix time in ms');
    for (const id of first.inserted) assert.ok(id < second.inserted[0], `${id} sorts before ${second.inserted[0]}`);
  });

  it('a crash between applying and committing writes neither rows nor cursor; the retry leaves exactly one copy', async () => {
    await clear();
    const batch = { source: 'plaid', added: [txn('c1'), txn('c2')], cursor: { key: 'item-1', value: 'cursor-after-page-1' } };
    await assert.rejects(
      t.as(hh, async (tx) => {
        const r = await applyTransactionBatch(tx, batch);
        assert.equal(r.inserted.length, 2); // written inside the transaction...
        throw new Error('crash before the sync cursor is committed');
      }),
      /crash before/,
    );
    assert.equal((await t.as(hh, rows)).length, 0); // ...and gone with it
    assert.equal(await t.as(hh, (tx) => getSourceCursor(tx, 'plaid', 'item-1')), null);
    const retry = await t.as(hh, (tx) => applyTransactionBatch(tx, batch));
    assert.equal(retry.inserted.length, 2);
    assert.equal(await t.as(hh, (tx) => getSourceCursor(tx, 'plaid', 'item-1')), 'cursor-after-page-1');
    await t.as(hh, (tx) => applyTransactionBatch(tx, batch));
    assert.deepEqual((await t.as(hh, rows)).map((r) => r.external_id), ['c1', 'c2']);
    assert.equal(await t.as(hh, (tx) => getSourceCursor(tx, 'import', 'item-1')), null); // per source
  });

  it('maps provider categories (detailed, renamed v1 codes, primary fallback) to household categories', async () => {
    await clear();
    await t.as(hh, (tx) => applyTransactionBatch(tx, {
      source: 'plaid',
      added: [
        txn('p1', { providerCategory: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_GROCERIES' } }),
        txn('p2', { providerCategory: { primary: 'INCOME', detailed: 'INCOME_WAGES' } }), // PFC v1 name
        txn('p3', { providerCategory: { primary: 'FOOD_AND_DRINK' } }),
        txn('p4', { providerCategory: { primary: 'NOT_A_PFC_CODE', detailed: 'NOT_A_PFC_CODE_AT_ALL' } }),
        txn('p5'),
      ],
    }));
    const named = await t.as(hh, (tx) => tx`
      select t.external_id, c.name, t.category_source from ledger.transactions t
      left join ledger.categories c on c.id = t.category_id order by t.external_id`);
    assert.deepEqual(named.map((r) => [r.external_id, r.name, r.category_source]), [
      ['p1', 'Groceries', 'provider'],
      ['p2', 'Salary & Wages', 'provider'],
      ['p3', 'Other Food & Drink', 'provider'],
      ['p4', null, null],
      ['p5', null, null],
    ]);
  });

  it("a user's category, notes and tags survive a later modification by the source", async () => {
    await clear();
    const coffee = { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_COFFEE' };
    const { inserted: [id] } = await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [txn('m1', { providerCategory: coffee })] }));
    const restaurants = await t.as(hh, (tx) => categoryId(tx, 'Restaurants'));
    await t.as(hh, (tx) => updateTransaction(tx, id, { categoryId: restaurants, notes: 'team lunch', tags: ['work'] }));

    const r = await t.as(hh, (tx) => applyTransactionBatch(tx, {
      source: 'plaid',
      modified: [txn('m1', { amount: '-5.25', payee: 'Blue Bottle Coffee', providerCategory: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_FAST_FOOD' } })],
    }));
    assert.deepEqual(r.updated, [id]);
    const after = await t.as(hh, (tx) => getTransaction(tx, id));
    assert.equal(after.amount, '-5.25');
    assert.equal(after.payee, 'Blue Bottle Coffee');
    assert.deepEqual(after.providerCategory, { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_FAST_FOOD' });
    assert.equal(after.categoryName, 'Restaurants');
    assert.equal(after.categorySource, 'user');
    assert.equal(after.notes, 'team lunch');
    assert.deepEqual(after.tags, ['work']);
  });

  it("a provider category follows the source's modification when nobody chose one", async () => {
    await clear();
    await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [txn('f1', { providerCategory: { detailed: 'FOOD_AND_DRINK_COFFEE' } })] }));
    await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', modified: [txn('f1', { providerCategory: { detailed: 'TRAVEL_FLIGHTS' } })] }));
    const [row] = await t.as(hh, (tx) => tx`select c.name from ledger.transactions t join ledger.categories c on c.id = t.category_id`);
    assert.equal(row.name, 'Flights');
  });

  it("a rule's category yields to the user but not to the source", async () => {
    await clear();
    const { inserted: [a, b] } = await t.as(hh, (tx) => applyTransactionBatch(tx, {
      source: 'plaid', added: [txn('r1', { providerCategory: { detailed: 'FOOD_AND_DRINK_COFFEE' } }), txn('r2')],
    }));
    const [gym, rent] = await t.as(hh, async (tx) => [await categoryId(tx, 'Gym & Fitness'), await categoryId(tx, 'Rent')]);
    await t.as(hh, (tx) => updateTransaction(tx, b, { categoryId: rent }));
    const changed = await t.as(hh, (tx) => applyRuleChanges(tx, [{ id: a, change: { categoryId: gym } }, { id: b, change: { categoryId: gym } }]));
    assert.deepEqual(changed, [a]);
    assert.deepEqual(await t.as(hh, (tx) => applyRuleChanges(tx, [{ id: a, change: { categoryId: gym } }])), []); // nothing new
    await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', modified: [txn('r1', { amount: '-9.00', providerCategory: { detailed: 'TRAVEL_FLIGHTS' } })] }));
    const stored = await t.as(hh, rows);
    assert.deepEqual(stored.map((r) => [r.external_id, r.category_id, r.category_source]), [['r1', gym, 'rule'], ['r2', rent, 'user']]);
  });

  it("a source's own categoryId: set on insert as 'provider', a foreign one ignored, left alone by later deliveries", async () => {
    await clear();
    const other = await t.household();
    const foreign = await t.as(other, async (tx) => { await seedCategories(tx); return categoryId(tx, 'Groceries'); });
    const [groceries, coffee, rent] = await t.as(hh, async (tx) => [await categoryId(tx, 'Groceries'), await categoryId(tx, 'Coffee'), await categoryId(tx, 'Rent')]);
    const group = await t.as(hh, (tx) => tx`select id from ledger.categories where name = 'Food & Drink' and parent_id is null`.then(([r]) => r.id as string));
    const first = await t.as(hh, (tx) => applyTransactionBatch(tx, {
      source: 'import',
      added: [txn('c1', { categoryId: groceries }), txn('c2', { categoryId: foreign }), txn('c3', { categoryId: crypto.randomUUID() }),
        txn('c4', { categoryId: group }), txn('c5', { categoryId: null }), txn('c6', { categoryId: coffee })],
    }));
    assert.equal(first.inserted.length, 6);
    const stored = async () => (await t.as(hh, rows)).map((r) => [r.external_id, r.category_id, r.category_source]);
    assert.deepEqual(await stored(), [
      ['c1', groceries, 'provider'], ['c2', null, null], ['c3', null, null], ['c4', group, 'provider'], ['c5', null, null], ['c6', coffee, 'provider'],
    ]);
    // The user recategorizes c6; then the source delivers every row again with other categories
    // (and c1 with a new amount): only the amount moves, no category does.
    const [c6] = await t.as(hh, (tx) => tx`select id from ledger.transactions where external_id = 'c6'`);
    await t.as(hh, (tx) => updateTransaction(tx, c6.id as string, { categoryId: rent }));
    const again = await t.as(hh, (tx) => applyTransactionBatch(tx, {
      source: 'import',
      modified: [txn('c1', { amount: '-4.75', categoryId: coffee }), txn('c2', { categoryId: groceries }), txn('c4', { categoryId: coffee }),
        txn('c6', { categoryId: groceries }), txn('c5', { categoryId: groceries })],
    }));
    assert.deepEqual([again.inserted, again.updated.length, again.unchanged], [[], 1, 4]);
    assert.deepEqual(await stored(), [
      ['c1', groceries, 'provider'], ['c2', null, null], ['c3', null, null], ['c4', group, 'provider'], ['c5', null, null], ['c6', rent, 'user'],
    ]);
    const [c1] = await t.as(hh, (tx) => tx`select amount::text from ledger.transactions where external_id = 'c1'`);
    assert.equal(c1.amount, '-4.75');
    // The other household's rows are untouched, and a category is one or the other: categoryId or providerCategory.
    assert.equal((await t.as(other, (tx) => tx`select count(*)::int as n from ledger.transactions`))[0].n, 0);
    await assert.rejects(
      t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'import', added: [txn('c7', { categoryId: groceries, providerCategory: { detailed: 'FOOD_AND_DRINK_COFFEE' } })] })),
      (err: HttpError) => err.status === 400 && /categoryId: give categoryId or providerCategory, not both/.test(err.message),
    );
  });

  it('pending → posted keeps the id, category, notes and tags, and the pending removal leaves one row', async () => {
    await clear();
    const { inserted: [pendingId] } = await t.as(hh, (tx) => applyTransactionBatch(tx, {
      source: 'plaid', added: [txn('pend-1', { pending: true, amount: '-20.00', providerCategory: { detailed: 'FOOD_AND_DRINK_RESTAURANT' } })],
    }));
    const groceries = await t.as(hh, (tx) => categoryId(tx, 'Groceries'));
    await t.as(hh, (tx) => updateTransaction(tx, pendingId, { categoryId: groceries, notes: 'split with Sam', tags: ['shared'] }));

    // Plaid delivers the posted transaction (naming the pending one) and removes the pending one.
    const posted = txn('post-1', { amount: '-23.40', date: '2025-03-03', pendingExternalId: 'pend-1' });
    const batch = { source: 'plaid', added: [posted], removed: [{ accountId, externalId: 'pend-1' }] };
    const r = await t.as(hh, (tx) => applyTransactionBatch(tx, batch));
    assert.deepEqual(r.updated, [pendingId]);
    assert.deepEqual(r.removed, []);

    const stored = await t.as(hh, rows);
    assert.equal(stored.length, 1);
    const after = await t.as(hh, (tx) => getTransaction(tx, pendingId));
    assert.deepEqual(
      [after.externalId, after.pending, after.amount, after.date, after.pendingExternalId, after.categoryId, after.categorySource, after.notes, after.tags],
      ['post-1', false, '-23.40', '2025-03-03', 'pend-1', groceries, 'user', 'split with Sam', ['shared']],
    );
    // Re-delivery of the same sync page changes nothing.
    assert.deepEqual({ ...(await t.as(hh, (tx) => applyTransactionBatch(tx, batch))) }, { inserted: [], updated: [], removed: [], unchanged: 1 });
  });

  it('pending → posted in separate batches, removal first: the posted row is new and uncarried', async () => {
    await clear();
    await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [txn('pend-2', { pending: true })] }));
    await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', removed: [{ accountId, externalId: 'pend-2' }] }));
    const r = await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [txn('post-2', { pendingExternalId: 'pend-2' })] }));
    assert.equal(r.inserted.length, 1);
    assert.deepEqual((await t.as(hh, rows)).map((x) => [x.external_id, x.pending]), [['post-2', false]]);
  });

  it('removals delete exactly the named rows and report their ids; repeating them is harmless', async () => {
    await clear();
    const { inserted } = await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [txn('x1'), txn('x2'), txn('x3')] }));
    const removed = [{ accountId, externalId: 'x1' }, { accountId, externalId: 'x3' }];
    const r = await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', removed }));
    assert.deepEqual(new Set(r.removed), new Set([inserted[0], inserted[2]]));
    assert.deepEqual((await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', removed }))).removed, []);
    // Another source's rows with the same external id are not touched.
    assert.deepEqual((await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'import', removed: [{ accountId, externalId: 'x2' }] }))).removed, []);
    assert.deepEqual((await t.as(hh, rows)).map((x) => x.external_id), ['x2']);
  });

  it('the same transaction twice in one batch (added, then modified) is stored once, as last delivered', async () => {
    await clear();
    const r = await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [txn('d1')], modified: [txn('d1', { amount: '-7.77' })] }));
    assert.equal(r.inserted.length, 1);
    assert.deepEqual((await t.as(hh, rows)).map((x) => [x.external_id, x.amount]), [['d1', '-7.77']]);
  });

  it('stores every field a source sends exactly, including awkward text and tags', async () => {
    await clear();
    const tags = ['a,b', 'say "hi"', 'back\\slash', 'NULL', '{braces}', 'ünï'];
    const { inserted: [id] } = await t.as(hh, (tx) => applyTransactionBatch(tx, {
      source: 'plaid',
      added: [txn('w1', {
        date: '2024-02-29', authorizedDate: '2024-02-28', amount: '-1234567890.0123456789', currency: 'USDC',
        payee: "O'Brien \\ Sons, \"Ltd\"", description: 'Line one\nline two', notes: 'memo', pending: true, tags,
        providerCategory: { primary: 'TRAVEL', detailed: 'TRAVEL_LODGING' },
      })],
    }));
    const r = await t.as(hh, (tx) => getTransaction(tx, id));
    assert.deepEqual(
      [r.date, r.authorizedDate, r.amount, r.currency, r.payee, r.description, r.notes, r.pending, r.tags, r.categoryName],
      ['2024-02-29', '2024-02-28', '-1234567890.0123456789', 'USDC', "O'Brien \\ Sons, \"Ltd\"", 'Line one\nline two', 'memo', true, tags, 'Lodging'],
    );
  });

  it('the same external id in two accounts is two transactions', async () => {
    await clear();
    const other = await t.as(hh, (tx) => createAccount(tx, { name: 'Cash', type: 'depository', currency: 'USD' }));
    await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'import', added: [txn('fitid-1'), txn('fitid-1', { accountId: other.id })] }));
    assert.equal((await t.as(hh, rows)).length, 2);
  });

  it("refuses another household's account, and invalid input, writing nothing", async () => {
    await clear();
    const other = await t.household();
    const foreign = await t.as(other, (tx) => createAccount(tx, { name: 'Theirs', type: 'depository', currency: 'USD' }));
    await assert.rejects(
      t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [txn('ok'), txn('bad', { accountId: foreign.id })] })),
      (err: Error) => err instanceof HttpError && err.status === 404,
    );
    await assert.rejects(t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [txn('f', { amount: '1.5e3' })] })), /decimal/);
    await assert.rejects(t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'manual', added: [txn('m')] })), /reserved/);
    assert.equal((await t.as(hh, rows)).length, 0);
  });
});

describe('applyRuleChanges', () => {
  let t: LedgerTestDb;
  let hh: string;
  let accountId: string;
  before(async () => {
    t = await ledgerTestDb();
    hh = await t.household();
    accountId = await t.as(hh, async (tx) => {
      await seedCategories(tx);
      return (await createAccount(tx, { name: 'Card', type: 'credit', currency: 'USD' })).id;
    });
  });
  after(() => t?.close());

  it("renames, tags, fills empty notes, excludes and marks transfers, but keeps the user's choices", async () => {
    const [rent, gym] = await t.as(hh, async (tx) => Promise.all(['Rent', 'Gym & Fitness'].map(async (n) => (await tx`select id from ledger.categories where name = ${n}`)[0].id as string)));
    const { inserted: [plain, edited] } = await t.as(hh, (tx) => applyTransactionBatch(tx, {
      source: 'plaid',
      added: [
        { accountId, externalId: 'p', date: '2025-01-01', amount: '-50', currency: 'USD', payee: 'PLANET FIT 123' },
        { accountId, externalId: 'e', date: '2025-01-01', amount: '-50', currency: 'USD', payee: 'PLANET FIT 124' },
      ],
    }));
    await t.as(hh, (tx) => updateTransaction(tx, edited, { categoryId: rent, notes: 'mine' }));
    const change = { categoryId: gym, payee: 'Planet Fitness', tags: ['fitness'], notes: 'membership', excluded: true, isTransfer: true };
    const changed = await t.as(hh, (tx) => applyRuleChanges(tx, [{ id: plain, change }, { id: edited, change }]));
    assert.deepEqual(new Set(changed), new Set([plain, edited]));
    const [p, e] = await t.as(hh, async (tx) => [await getTransaction(tx, plain), await getTransaction(tx, edited)]);
    assert.deepEqual([p.categoryId, p.categorySource, p.payee, p.tags, p.notes, p.excluded, p.isTransfer], [gym, 'rule', 'Planet Fitness', ['fitness'], 'membership', true, true]);
    assert.deepEqual([e.categoryId, e.categorySource, e.notes, e.payee], [rent, 'user', 'mine', 'Planet Fitness']);
    await assert.rejects(t.as(hh, (tx) => applyRuleChanges(tx, [{ id: plain, change: { categoryId: crypto.randomUUID() } }])), (err: HttpError) => err.status === 404);
  });
});
