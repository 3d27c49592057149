// A transaction's account and category are checked per statement (migration 0008), not by foreign
// keys: what the keys guaranteed must still hold, including against concurrent deletes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount, deleteAccount } from '../service/accounts.ts';
import { createCategory, deleteCategory } from '../service/categories.ts';
import { createTransaction, getTransaction } from '../service/transactions.ts';
import { ledgerTestDb, type LedgerTestDb } from './support.ts';

const code = (c: string) => (err: { code?: string }) => err.code === c;

describe('transaction references (set-based checks)', () => {
  let t: LedgerTestDb;
  before(async () => {
    t = await ledgerTestDb();
  });
  after(() => t?.close());

  const setup = async () => {
    const hh = await t.household();
    const account = await t.as(hh, (tx) => createAccount(tx, { name: 'Cash', type: 'depository', currency: 'USD' }));
    const group = await t.as(hh, (tx) => createCategory(tx, { name: 'Living', kind: 'expense' }));
    const category = await t.as(hh, (tx) => createCategory(tx, { name: 'Food', parentId: group.id }));
    return { hh, account: account.id, category: category.id };
  };
  const insert = (account: string, category: string | null) =>
    (tx: Parameters<Parameters<LedgerTestDb['as']>[1]>[0]) => tx`
      insert into ledger.transactions (household_id, account_id, source, date, amount, currency, category_id, category_source)
      select kernel.current_household(), ${account}, 'manual', date '2025-03-01' + i, -i, 'USD', ${category}, ${category ? 'user' : null}
      from generate_series(1, 3) i returning id`;

  it('refuses rows naming an unknown account or category, or another household’s, in SQL as well as in the services', async () => {
    const a = await setup();
    const b = await setup();
    const unknown = crypto.randomUUID();
    await assert.rejects(t.as(a.hh, insert(unknown, null)), code('23503'));
    await assert.rejects(t.as(a.hh, insert(a.account, unknown)), code('23503'));
    await assert.rejects(t.as(a.hh, insert(b.account, null)), code('23503'));
    await assert.rejects(t.as(a.hh, insert(a.account, b.category)), code('23503'));
    const [row] = await t.as(a.hh, insert(a.account, a.category));
    await assert.rejects(t.as(a.hh, (tx) => tx`update ledger.transactions set category_id = ${b.category} where id = ${row.id}`), code('23503'));
    await assert.rejects(t.as(a.hh, (tx) => tx`update ledger.transactions set account_id = ${unknown} where id = ${row.id}`), code('23503'));
    // Nothing of the refused statements was written.
    const [{ n }] = await t.as(a.hh, (tx) => tx`select count(*)::int as n from ledger.transactions`);
    assert.equal(n, 3);
    assert.equal((await t.as(a.hh, (tx) => getTransaction(tx, row.id as string))).categoryId, a.category);
  });

  it('a category deleted while rows naming it are being written waits, then uncategorizes them too', async () => {
    const { hh, account, category } = await setup();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted: string[] = [];
    const writer = t.as(hh, async (tx) => {
      inserted = (await insert(account, category)(tx)).map((r) => r.id as string);
      await held; // the writer holds its transaction open, its rows not yet committed
    });
    while (!inserted.length) await new Promise((r) => setTimeout(r, 10));
    const deleter = t.as(hh, (tx) => deleteCategory(tx, category));
    // The delete waits on the writer's lock (a foreign key would make it wait the same way).
    const [{ pid }] = await t.db.admin`select pg_backend_pid() as pid`;
    for (let i = 0; ; i++) {
      const [{ n }] = await t.db.admin`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and pid <> ${pid as number}`;
      if (n > 0) break;
      assert.ok(i < 500, 'the delete never waited for the writer');
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    await writer;
    await deleter;
    const rows = await t.as(hh, (tx) => tx`select category_id from ledger.transactions where id = any(${inserted}::uuid[])`);
    assert.deepEqual(rows.map((r) => r.category_id), [null, null, null]);
  });

  it('rows written after an account is deleted are refused; deleting an account deletes its rows', async () => {
    const { hh, account } = await setup();
    await t.as(hh, insert(account, null));
    await t.as(hh, (tx) => deleteAccount(tx, account));
    await assert.rejects(t.as(hh, insert(account, null)), code('23503'));
    const [{ n }] = await t.as(hh, (tx) => tx`select count(*)::int as n from ledger.transactions`);
    assert.equal(n, 0);
  });

  it('an account deleted outside any household binding (a superuser) takes its transactions with it', async () => {
    const { hh, account, category } = await setup();
    await t.as(hh, (tx) => createTransaction(tx, { accountId: account, date: '2025-01-02', amount: '-3', categoryId: category }));
    await t.db.admin`delete from ledger.accounts where id = ${account}`;
    const [{ n }] = await t.db.admin`select count(*)::int as n from ledger.transactions where household_id = ${hh}`;
    assert.equal(n, 0);
  });

  it('a household deleted outside any binding (a superuser) takes all its ledger rows with it, totals included', async () => {
    const { hh, account, category } = await setup();
    const other = await setup();
    for (const s of [{ hh, account, category }, other]) {
      await t.as(s.hh, (tx) => createTransaction(tx, { accountId: s.account, date: '2025-01-02', amount: '-3', categoryId: s.category }));
    }
    const count = (id: string) => t.db.admin`select (select count(*) from ledger.transactions where household_id = ${id})
      + (select count(*) from ledger.day_totals where household_id = ${id}) + (select count(*) from ledger.month_totals where household_id = ${id})
      + (select count(*) from ledger.accounts where household_id = ${id}) + (select count(*) from ledger.categories where household_id = ${id}) as n`
      .then(([r]) => Number(r.n));
    assert.ok((await count(hh)) > 0);
    await t.db.admin`delete from kernel.households where id = ${hh}`;
    assert.equal(await count(hh), 0);
    const [totals] = await t.db.admin`select sum(n)::int as n, sum(amount)::text as amount from ledger.day_totals where household_id = ${other.hh}`;
    assert.deepEqual({ ...totals }, { n: 1, amount: '-3' }); // the other household's totals are untouched
  });

  it('deletes outside READ COMMITTED, and changes of an account’s or category’s id, are refused', async () => {
    const { hh, account, category } = await setup();
    await assert.rejects(
      t.db.admin.begin('isolation level repeatable read', (tx) => tx`delete from ledger.categories where id = ${category}`),
      /needs a READ COMMITTED transaction/);
    await assert.rejects(t.as(hh, (tx) => tx`update ledger.accounts set id = ${crypto.randomUUID()} where id = ${account}`), code('23503'));
    await assert.rejects(t.as(hh, (tx) => tx`update ledger.categories set id = ${crypto.randomUUID()} where id = ${category}`), code('23503'));
    const [{ n }] = await t.db.admin`select count(*)::int as n from ledger.categories where id = ${category}`;
    assert.equal(n, 1);
  });
});
