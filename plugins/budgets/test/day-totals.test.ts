// The ledger's per-day and per-month totals (migrations 0004, 0005, kept by statement triggers) are what budget summaries
// add up: after every kind of write they must equal the transactions themselves, and a household
// whose totals are missing (rows written before the migration) gets them rebuilt on first use.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { insertTxns, seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
let s: TestSession;
let f: Fixtures;

before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
  s = await t.signUp();
  f = await seedLedger(t, s.householdId);
});
after(() => t?.close());

/** Rows of day_totals (and month_totals) that disagree with a fresh aggregate of the transactions (both directions). */
const drift = () => t.asHousehold(s.householdId, async (tx) => {
  const [r] = await tx`
    with expect as (
      select date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded,
        is_transfer, sum(amount) as amount, count(*)::int as n
      from ledger.transactions group by 1, 2, 3, 4, 5, 6, 7, 8, 9),
    got as (
      select date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded,
        is_transfer, amount, n from ledger.day_totals)
    select (select count(*) from (select * from expect except select * from got) a)::int as missing,
           (select count(*) from (select * from got except select * from expect) b)::int as extra,
           (select count(*) from got)::int as rows,
           (select count(*) from (
              select date_trunc('month', date)::date, currency, category_id, category_source, provider_category_primary,
                provider_category_detailed, pending, excluded, is_transfer, sum(amount), sum(n)::int from expect group by 1, 2, 3, 4, 5, 6, 7, 8, 9
              except
              select month, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending,
                excluded, is_transfer, amount, n from ledger.month_totals) m)::int
           + (select count(*) from (
              select month, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending,
                excluded, is_transfer, amount, n from ledger.month_totals
              except
              select date_trunc('month', date)::date, currency, category_id, category_source, provider_category_primary,
                provider_category_detailed, pending, excluded, is_transfer, sum(amount), sum(n)::int from expect group by 1, 2, 3, 4, 5, 6, 7, 8, 9) e)::int
             as month_drift`;
  return r as { missing: number; extra: number; rows: number; month_drift: number };
});

describe("the ledger's day totals", () => {
  test('stay equal to the transactions through a sync, edits, pending → posted, removals and deletes', async () => {
    const ledger = t.kernel.plugins.get('ledger')!;
    const call = await t.kernel.plugins.bus.jobCall(ledger, s.householdId, null);
    const sources = (method: string, ...args: unknown[]) => ledger.runtime!.service('ledger.sources', method, args, call);
    const accounts = await sources('upsertAccounts', 'bank', [{ externalId: 'a', name: 'Bank', type: 'depository', currency: 'EUR' }]) as Record<string, string>;
    const txn = (externalId: string, extra: Record<string, unknown> = {}) => ({
      accountId: accounts.a, externalId, date: '2024-05-02', amount: '-10.00', currency: 'EUR', payee: 'Shop',
      providerCategory: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_GROCERIES' }, ...extra,
    });
    await sources('applyTransactionBatch', { source: 'bank', added: [txn('p1', { pending: true }), txn('x2', { amount: '-3.10' }), txn('x3', { date: '2024-05-03' })] });
    assert.deepEqual(await drift(), { missing: 0, extra: 0, rows: 3, month_drift: 0 });
    // The pending one posts (same row, new amount), one is modified, one removed.
    await sources('applyTransactionBatch', {
      source: 'bank',
      added: [txn('p1-posted', { amount: '-10.50', pendingExternalId: 'p1' })],
      modified: [txn('x2', { amount: '-4.00', date: '2024-05-04' })],
      removed: [{ accountId: accounts.a, externalId: 'x3' }],
    });
    const mid = await drift();
    assert.equal(mid.missing + mid.extra + mid.month_drift, 0);
    // Edits by hand and by rules, bulk and single; manual rows inserted and deleted.
    const ids = await insertTxns(t, s.householdId, f.checking, [
      { date: '2024-05-02', amount: '-7.00', categoryId: f.groceries }, { date: '2024-05-02', amount: '5.00', categoryId: f.groceries },
    ]);
    await t.asHousehold(s.householdId, async (tx) => {
      await tx`update ledger.transactions set category_id = ${f.dining}, category_source = 'user' where payee = 'Shop'`;
      await tx`update ledger.transactions set excluded = true where id = ${ids[0]}`;
      await tx`update ledger.transactions set notes = 'no total changes' where id = ${ids[1]}`;
      await tx`delete from ledger.transactions where id = ${ids[1]}`;
    });
    const d = await drift();
    assert.deepEqual({ missing: d.missing, extra: d.extra, month_drift: d.month_drift }, { missing: 0, extra: 0, month_drift: 0 });
  });

  test('a household without totals gets them rebuilt the first time its budgets are summed', async () => {
    const id = (await s.api('POST', '/api/v1/budgets', { categoryId: f.food, amount: '100', periodType: 'monthly', year: 2024, month: 5 })).json().id;
    const before = (await s.api('GET', '/api/v1/budgets/summary?month=2024-05')).json().items.find((i: { budget: { id: string } }) => i.budget.id === id);
    await t.asHousehold(s.householdId, async (tx) => {
      await tx`delete from ledger.day_totals`;
      await tx`delete from ledger.month_totals`;
    });
    assert.equal((await drift()).rows, 0);
    const after = (await s.api('GET', '/api/v1/budgets/summary?month=2024-05')).json().items.find((i: { budget: { id: string } }) => i.budget.id === id);
    assert.equal(after.spent, before.spent);
    assert.deepEqual({ ...(await drift()), rows: undefined }, { missing: 0, extra: 0, rows: undefined, month_drift: 0 });
  });
});
