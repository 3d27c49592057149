// Household isolation of every ledger table and service function: household B sees, changes and
// references none of household A's rows, whatever ids it is given.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount, deleteAccount, getAccount, listAccounts, updateAccount } from '../service/accounts.ts';
import { balanceHistory, recordBalances } from '../service/balances.ts';
import { applyTransactionBatch } from '../service/batch.ts';
import { deleteCategory, getCategory, listCategories, updateCategory } from '../service/categories.ts';
import { mergeCategories } from '../service/category-merge.ts';
import { seedCategories } from '../service/category-seed.ts';
import { listTransactions } from '../service/list-transactions.ts';
import { netWorth } from '../service/net-worth.ts';
import { upsertAccounts } from '../service/source-accounts.ts';
import { getSourceCursor } from '../service/source-cursors.ts';
import { applyRuleChanges } from '../service/rule-changes.ts';
import { bulkUpdateTransactions } from '../service/transaction-bulk.ts';
import { createTransaction, deleteTransaction, getTransaction, updateTransaction } from '../service/transactions.ts';
import { ledgerTestDb, type LedgerTestDb } from './support.ts';

const TABLES = ['accounts', 'account_balances', 'categories', 'category_pfc', 'source_cursors', 'transactions'];
const is404 = (err: Error & { status?: number }) => err.status === 404;

describe('ledger household isolation', () => {
  let t: LedgerTestDb;
  let A: string;
  let B: string;
  const a = { account: '', transaction: '', category: '', group: '' };

  before(async () => {
    t = await ledgerTestDb();
    A = await t.household();
    B = await t.household();
    await t.as(A, async (tx) => {
      await seedCategories(tx);
      a.account = (await createAccount(tx, { name: 'A checking', type: 'depository', currency: 'USD', balance: '1000' })).id;
      [{ id: a.category }] = await tx`select id from ledger.categories where name = 'Groceries'`;
      [{ id: a.group }] = await tx`select id from ledger.categories where name = 'Travel'`;
      a.transaction = (await createTransaction(tx, { accountId: a.account, date: '2025-02-01', amount: '-42', payee: 'A market', categoryId: a.category, tags: ['a'] })).id;
      await applyTransactionBatch(tx, {
        source: 'plaid',
        added: [{ accountId: a.account, externalId: 'a-1', date: '2025-02-02', amount: '-1', currency: 'USD' }],
        cursor: { key: 'item', value: 'A-cursor' },
      });
    });
    await t.as(B, seedCategories);
  });
  after(() => t?.close());

  it("B's queries see none of A's rows in any ledger table", async () => {
    for (const table of TABLES) {
      const [{ mine }] = await t.as(A, (tx) => tx`select count(*)::int as mine from ledger.${raw(tx, table)}`);
      assert.ok((mine as number) > 0, `A has rows in ${table}`);
      const rows = await t.as(B, (tx) => tx`select household_id from ledger.${raw(tx, table)} where household_id = ${A}`);
      assert.equal(rows.length, 0, table);
    }
    const unbound = await t.db.app`select count(*)::int as n from ledger.transactions`;
    assert.equal(unbound[0].n, 0);
  });

  it("B's lists are its own", async () => {
    assert.deepEqual(await t.as(B, (tx) => listAccounts(tx, { includeClosed: true })), []);
    assert.deepEqual((await t.as(B, (tx) => listTransactions(tx))).items, []);
    const bCategories = await t.as(B, (tx) => listCategories(tx, { includeHidden: true }));
    assert.equal(bCategories.some((c) => c.id === a.category), false);
    assert.equal((await t.as(B, netWorth)).assets, '0');
    assert.equal(await t.as(B, (tx) => getSourceCursor(tx, 'plaid', 'item')), null);
  });

  it("A's ids are 404 for B, for reading, changing and deleting", async () => {
    const attempts = [
      () => t.as(B, (tx) => getAccount(tx, a.account)),
      () => t.as(B, (tx) => updateAccount(tx, a.account, { name: 'mine now' })),
      () => t.as(B, (tx) => deleteAccount(tx, a.account)),
      () => t.as(B, (tx) => balanceHistory(tx, a.account)),
      () => t.as(B, (tx) => recordBalances(tx, [{ accountId: a.account, date: '2025-02-01', balance: '0' }])),
      () => t.as(B, (tx) => getTransaction(tx, a.transaction)),
      () => t.as(B, (tx) => updateTransaction(tx, a.transaction, { notes: 'x' })),
      () => t.as(B, (tx) => deleteTransaction(tx, a.transaction)),
      () => t.as(B, (tx) => createTransaction(tx, { accountId: a.account, date: '2025-02-01', amount: '1' })),
      () => t.as(B, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [{ accountId: a.account, externalId: 'b', date: '2025-02-01', amount: '1', currency: 'USD' }] })),
      () => t.as(B, (tx) => getCategory(tx, a.category)),
      () => t.as(B, (tx) => updateCategory(tx, a.category, { name: 'x' })),
      () => t.as(B, (tx) => deleteCategory(tx, a.group)),
      () => t.as(B, async (tx) => mergeCategories(tx, { fromId: a.category, intoId: (await listCategories(tx))[1].id })),
    ];
    for (const attempt of attempts) await assert.rejects(attempt(), is404, attempt.toString());
  });

  it("B cannot point its own rows at A's categories or accounts", async () => {
    const mine = await t.as(B, (tx) => createAccount(tx, { name: 'B cash', type: 'depository', currency: 'USD' }));
    await assert.rejects(t.as(B, (tx) => createTransaction(tx, { accountId: mine.id, date: '2025-02-01', amount: '1', categoryId: a.category })), is404);
    const own = await t.as(B, (tx) => createTransaction(tx, { accountId: mine.id, date: '2025-02-01', amount: '1' }));
    await assert.rejects(t.as(B, (tx) => updateTransaction(tx, own.id, { categoryId: a.category })), is404);
    await assert.rejects(t.as(B, (tx) => bulkUpdateTransactions(tx, { ids: [own.id], categoryId: a.category })), is404);
  });

  it("bulk and rule updates naming A's transactions change nothing", async () => {
    assert.deepEqual(await t.as(B, (tx) => bulkUpdateTransactions(tx, { ids: [a.transaction], addTags: ['b'], excluded: true })), []);
    assert.deepEqual(await t.as(B, (tx) => applyRuleChanges(tx, [{ id: a.transaction, change: { categoryId: null, notes: 'b was here' } }])), []);
    assert.deepEqual(await t.as(B, (tx) => applyTransactionBatch(tx, { source: 'plaid', removed: [{ accountId: a.account, externalId: 'a-1' }] })).then((r) => r.removed), []);
    // A source in B with the same external ids creates B's own accounts, not A's.
    await t.as(A, (tx) => upsertAccounts(tx, 'plaid', [{ externalId: 'shared-ext', name: 'A card', type: 'credit', currency: 'USD' }]));
    const bIds = await t.as(B, (tx) => upsertAccounts(tx, 'plaid', [{ externalId: 'shared-ext', name: 'B card', type: 'credit', currency: 'USD' }]));
    const aIds = await t.as(A, (tx) => upsertAccounts(tx, 'plaid', [{ externalId: 'shared-ext', name: 'A card', type: 'credit', currency: 'USD' }]));
    assert.notEqual(bIds.get('shared-ext'), aIds.get('shared-ext'));
    const after = await t.as(A, (tx) => getTransaction(tx, a.transaction));
    assert.deepEqual([after.tags, after.excluded, after.categoryId], [['a'], false, a.category]);
    assert.equal((await t.as(A, (tx) => getAccount(tx, aIds.get('shared-ext')!))).name, 'A card');
  });

  it("B cannot write a row claiming to be A's", async () => {
    await assert.rejects(
      t.as(B, (tx) => tx`insert into ledger.categories (household_id, name, kind) values (${A}, 'sneaky', 'expense')`),
      /row-level security/,
    );
  });
});

/** Table names are constants from TABLES above, never input; the SDK sql tag has no identifiers. */
function raw(tx: Parameters<Parameters<LedgerTestDb['as']>[1]>[0], table: string) {
  if (!TABLES.includes(table)) throw new Error(table);
  const strings = Object.assign([table], { raw: [table] }) as unknown as TemplateStringsArray;
  return tx(strings);
}
