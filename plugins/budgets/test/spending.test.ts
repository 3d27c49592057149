// What a budget counts, through the summary API on real ledger rows: the effective category (user,
// rule, provider category by prefix), groups, refunds, transfers, excluded, pending, currency; every
// period type's boundaries; rollover across periods; the household's time zone for "this month".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { insertTxns, seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
});
after(() => t?.close());

type Item = { budget: { id: string; label: string }; period: { start: string; end: string; label: string; index: number }; spent: string; pending: string; carriedIn: string; available: string; remaining: string; overBudget: boolean; elapsed: number };

async function budget(s: TestSession, body: Record<string, unknown>): Promise<string> {
  const res = await s.api('POST', '/api/v1/budgets', body);
  assert.equal(res.status, 201, res.text);
  return res.json().id;
}
async function summary(s: TestSession, month?: string): Promise<{ month: string; today: string; items: Item[] }> {
  const res = await s.api('GET', `/api/v1/budgets/summary${month ? `?month=${month}` : ''}`);
  assert.equal(res.status, 200, res.text);
  return res.json();
}
const itemOf = async (s: TestSession, month: string, id: string) => (await summary(s, month)).items.find((i) => i.budget.id === id);

describe('what counts as spending', () => {
  let s: TestSession;
  let f: Fixtures;
  const ids: Record<string, string> = {};

  before(async () => {
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
    const m = { periodType: 'monthly', year: 2024, month: 1 };
    ids.food = await budget(s, { categoryId: f.food, amount: '500', ...m });
    ids.dining = await budget(s, { categoryId: f.dining, amount: '200', ...m });
    ids.transport = await budget(s, { categoryId: f.transport, amount: '300', ...m });
    await insertTxns(t, s.householdId, f.checking, [
      { date: '2024-03-02', amount: '-100.00', categoryId: f.groceries }, // user's category
      { date: '2024-03-03', amount: '20.00', categoryId: f.groceries }, // a refund lowers spending
      { date: '2024-03-04', amount: '-5.00', pfcPrimary: 'FOOD_AND_DRINK', pfcDetailed: 'FOOD_AND_DRINK_COFFEE' }, // no exact mapping: FOOD_AND_DRINK prefix
      { date: '2024-03-05', amount: '-30.00', categoryId: f.groceries, categorySource: 'provider', pfcPrimary: 'FOOD_AND_DRINK', pfcDetailed: 'FOOD_AND_DRINK_RESTAURANT' }, // mapped now: dining
      { date: '2024-03-06', amount: '-12.00', categoryId: f.fuel, pfcPrimary: 'FOOD_AND_DRINK', pfcDetailed: 'FOOD_AND_DRINK_RESTAURANT' }, // the user's choice wins
      { date: '2024-03-07', amount: '-60.00', categoryId: null, categorySource: 'user', pfcDetailed: 'FOOD_AND_DRINK_GROCERIES' }, // the user said "uncategorized"
      { date: '2024-03-08', amount: '-8.00', categoryId: f.dining, categorySource: 'rule', pfcDetailed: 'TRANSPORTATION_GAS' }, // a rule's choice beats the provider's
      { date: '2024-03-09', amount: '-50.00', categoryId: f.dining, excluded: true }, // excluded
      { date: '2024-03-10', amount: '-70.00', categoryId: f.groceries, isTransfer: true }, // marked as a transfer
      { date: '2024-03-11', amount: '-400.00', categoryId: f.cardPayment }, // a transfer-kind category inside an expense group
      { date: '2024-03-12', amount: '-250.00', pfcPrimary: 'TRANSFER_OUT', pfcDetailed: 'TRANSFER_OUT_ACCOUNT_TRANSFER' }, // provider says transfer
      { date: '2024-03-13', amount: '-15.00', categoryId: f.dining, pending: true }, // pending counts, reported apart
      { date: '2024-03-14', amount: '-99.00', categoryId: f.groceries, currency: 'USD' }, // another currency
      { date: '2024-02-29', amount: '-1000.00', categoryId: f.groceries }, // the month before
      { date: '2024-04-01', amount: '-1000.00', categoryId: f.groceries }, // the month after
      { date: '2024-03-15', amount: '3000.00', categoryId: f.salary }, // income
      { date: '2024-03-16', amount: '10.00', pfcPrimary: 'FOOD_AND_DRINK', pfcDetailed: 'FOOD_AND_DRINK_RESTAURANT' }, // a provider-categorized refund
    ]);
  });

  test('a group counts its categories; user, rule, then provider category by prefix; refunds net; transfers, excluded and other currencies left out', async () => {
    const food = (await itemOf(s, '2024-03', ids.food))!;
    assert.equal(food.spent, '128.00'); // 100 - 20 + 5 + 30 + 8 + 15 - 10
    assert.equal(food.pending, '15.00');
    assert.equal(food.remaining, '372.00');
    const dining = (await itemOf(s, '2024-03', ids.dining))!;
    assert.equal(dining.spent, '43.00'); // 30 + 8 + 15 - 10
    const transport = (await itemOf(s, '2024-03', ids.transport))!;
    assert.equal(transport.spent, '12.00'); // only the user's fuel choice; the card payment is a transfer
  });

  test('the drill-down lists exactly the transactions behind the figure', async () => {
    const res = await s.api('GET', `/api/v1/budgets/${ids.food}/transactions?month=2024-03`);
    assert.equal(res.status, 200);
    const body = res.json();
    assert.equal(body.total, '128.00');
    assert.equal(body.period.label, 'Mar 2024');
    assert.deepEqual(body.transactions.map((x: { date: string }) => x.date).sort(),
      ['2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05', '2024-03-08', '2024-03-13', '2024-03-16']);
    const coffee = body.transactions.find((x: { date: string }) => x.date === '2024-03-04');
    assert.equal(coffee.category, 'Food and Drink › Other Food and Drink');
  });

  test('a budget on a transfer or income category is refused', async () => {
    for (const categoryId of [f.transfers, f.income]) {
      const res = await s.api('POST', '/api/v1/budgets', { categoryId, amount: '10', periodType: 'annual', year: 2024 });
      assert.equal(res.status, 400);
      assert.match(res.json().detail, /budgets count spending/);
    }
  });
});

describe('period boundaries', () => {
  let s: TestSession;
  let f: Fixtures;
  const ids: Record<string, string> = {};
  const spentOf = async (month: string, id: string) => (await itemOf(s, month, id))?.spent ?? null;

  before(async () => {
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
    ids.monthly = await budget(s, { categoryId: f.groceries, amount: '100', periodType: 'monthly', year: 2024, month: 1 });
    ids.quarterly = await budget(s, { categoryId: f.dining, amount: '100', periodType: 'quarterly', year: 2024, quarter: 1 });
    ids.annual = await budget(s, { categoryId: f.otherFood, amount: '100', periodType: 'annual', year: 2024 });
    ids.custom = await budget(s, { categoryId: f.fuel, amount: '100', periodType: 'custom', startDate: '2024-02-10', endDate: '2024-03-09' });
    const on = (categoryId: string, pairs: [string, string][]) => pairs.map(([date, amount]) => ({ date, amount, categoryId }));
    await insertTxns(t, s.householdId, f.checking, [
      ...on(f.groceries, [['2024-01-31', '-1'], ['2024-02-01', '-2'], ['2024-02-29', '-4'], ['2024-03-01', '-8']]),
      ...on(f.dining, [['2023-12-31', '-1'], ['2024-01-01', '-2'], ['2024-03-31', '-4'], ['2024-04-01', '-8'], ['2024-06-30', '-16'], ['2024-07-01', '-32']]),
      ...on(f.otherFood, [['2023-12-31', '-1'], ['2024-01-01', '-2'], ['2024-02-29', '-4'], ['2024-12-31', '-8'], ['2025-01-01', '-16']]),
      ...on(f.fuel, [['2024-02-09', '-1'], ['2024-02-10', '-2'], ['2024-03-09', '-4'], ['2024-03-10', '-8']]),
    ]);
  });

  test('monthly: the month from its first to its last day, leap February included', async () => {
    assert.equal(await spentOf('2024-01', ids.monthly), '1');
    assert.equal(await spentOf('2024-02', ids.monthly), '6');
    assert.equal(await spentOf('2024-03', ids.monthly), '8');
    const feb = (await itemOf(s, '2024-02', ids.monthly))!;
    assert.deepEqual(feb.period, { index: 1, start: '2024-02-01', end: '2024-02-29', label: 'Feb 2024' });
    assert.equal(feb.elapsed, 1, 'a past period is over');
    assert.equal(await itemOf(s, '2023-12', ids.monthly), undefined, 'no period before the first');
  });

  test('quarterly: calendar quarters from the first one', async () => {
    assert.equal(await spentOf('2024-02', ids.quarterly), '6');
    const q2 = (await itemOf(s, '2024-05', ids.quarterly))!;
    assert.equal(q2.spent, '24');
    assert.deepEqual(q2.period, { index: 1, start: '2024-04-01', end: '2024-06-30', label: 'Q2 2024' });
    assert.equal(await spentOf('2024-09', ids.quarterly), '32');
  });

  test('annual: the calendar year (366 days in 2024)', async () => {
    const y = (await itemOf(s, '2024-07', ids.annual))!;
    assert.equal(y.spent, '14');
    assert.deepEqual(y.period, { index: 0, start: '2024-01-01', end: '2024-12-31', label: '2024' });
    assert.equal(await spentOf('2025-03', ids.annual), '16');
  });

  test('custom: its own span, inclusive, in every month it overlaps and no other', async () => {
    assert.equal(await spentOf('2024-02', ids.custom), '6');
    assert.equal(await spentOf('2024-03', ids.custom), '6');
    assert.equal(await itemOf(s, '2024-01', ids.custom), undefined);
    assert.equal(await itemOf(s, '2024-04', ids.custom), undefined);
  });

  test('invalid periods are refused with a message naming what is missing or wrong', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ periodType: 'monthly', year: 2024 }, /body\.month: month is required for a monthly budget/],
      [{ periodType: 'monthly', month: 3 }, /body\.year: year is required for a monthly budget/],
      [{ periodType: 'monthly', year: 2024, month: 13 }, /body\.month: must be 1-12/],
      [{ periodType: 'quarterly', year: 2024 }, /body\.quarter: quarter is required for a quarterly budget/],
      [{ periodType: 'quarterly', year: 2024, quarter: 2, month: 4 }, /body\.month: month does not apply to a quarterly budget/],
      [{ periodType: 'annual' }, /body\.year: year is required for an annual budget/],
      [{ periodType: 'custom', startDate: '2024-03-01' }, /body\.endDate: endDate is required for a custom budget/],
      [{ periodType: 'custom', startDate: '2024-03-01', endDate: '2024-03-01' }, /body\.endDate: endDate must be after startDate/],
      [{ periodType: 'custom', startDate: '2024-03-01', endDate: '2024-04-01', rollover: true }, /body\.rollover: rollover needs a recurring period/],
      [{ periodType: 'weekly' }, /body\.periodType: must be monthly, quarterly, annual or custom/],
    ];
    for (const [period, message] of cases) {
      const res = await s.api('POST', '/api/v1/budgets', { categoryId: f.groceries, amount: '10', ...period });
      assert.equal(res.status, 400, JSON.stringify(period));
      assert.match(res.json().detail, message);
    }
    const zero = await s.api('POST', '/api/v1/budgets', { categoryId: f.groceries, amount: '0', periodType: 'annual', year: 2024 });
    assert.match(zero.json().detail, /body\.amount: must be more than zero/);
  });

  test('the database refuses an inconsistent period too, whatever writes it', async () => {
    await assert.rejects(
      t.asHousehold(s.householdId, (tx) => tx`insert into budgets.budgets (household_id, category_id, amount, currency, period_type, year)
        values (${s.householdId}, ${f.groceries}, 10, 'EUR', 'monthly', 2024)`),
      /budgets_period/,
    );
    await assert.rejects(
      t.asHousehold(s.householdId, (tx) => tx`insert into budgets.budgets (household_id, category_id, amount, currency, period_type, start_date, end_date)
        values (${s.householdId}, ${f.groceries}, 10, 'EUR', 'custom', '2024-03-02', '2024-03-01')`),
      /budgets_period/,
    );
  });
});

describe('rollover', () => {
  let s: TestSession;
  let f: Fixtures;

  before(async () => {
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
  });

  test('what is left, or overspent, carries across three periods and into the fourth', async () => {
    const rolling = await budget(s, { categoryId: f.groceries, amount: '100', periodType: 'monthly', year: 2024, month: 1, rollover: true });
    // Without rollover, on the group (a second budget on Groceries for the same period is refused): same spending.
    const plain = await budget(s, { categoryId: f.food, amount: '100', periodType: 'monthly', year: 2024, month: 1 });
    await insertTxns(t, s.householdId, f.checking, [
      { date: '2024-01-10', amount: '-30', categoryId: f.groceries },
      { date: '2024-02-10', amount: '-150', categoryId: f.groceries },
      { date: '2024-03-10', amount: '-50', categoryId: f.groceries },
    ]);
    const view = async (month: string, id = rolling) => {
      const i = (await itemOf(s, month, id))!;
      return { carriedIn: i.carriedIn, available: i.available, spent: i.spent, remaining: i.remaining, overBudget: i.overBudget };
    };
    assert.deepEqual(await view('2024-01'), { carriedIn: '0', available: '100', spent: '30', remaining: '70', overBudget: false });
    assert.deepEqual(await view('2024-02'), { carriedIn: '70', available: '170', spent: '150', remaining: '20', overBudget: false });
    assert.deepEqual(await view('2024-03'), { carriedIn: '20', available: '120', spent: '50', remaining: '70', overBudget: false });
    assert.deepEqual(await view('2024-04'), { carriedIn: '70', available: '170', spent: '0', remaining: '170', overBudget: false });
    // Without rollover, every period starts from the amount.
    assert.deepEqual(await view('2024-02', plain), { carriedIn: '0', available: '100', spent: '150', remaining: '-50', overBudget: true });

    const history = (await s.api('GET', `/api/v1/budgets/${rolling}/history?month=2024-03`)).json();
    assert.deepEqual(history.periods.map((p: { label: string; spent: string; available: string }) => [p.label, p.spent, p.available]),
      [['Jan 2024', '30', '100'], ['Feb 2024', '150', '170'], ['Mar 2024', '50', '120']]);
  });

  test('an overspent period carries a debt into the next', async () => {
    const q = await budget(s, { categoryId: f.dining, amount: '50', periodType: 'quarterly', year: 2024, quarter: 1, rollover: true });
    await insertTxns(t, s.householdId, f.checking, [{ date: '2024-02-01', amount: '-80', categoryId: f.dining }]);
    const q2 = (await itemOf(s, '2024-05', q))!;
    assert.equal(q2.carriedIn, '-30');
    assert.equal(q2.available, '20');
    const q3 = (await itemOf(s, '2024-08', q))!;
    assert.equal(q3.carriedIn, '20');
  });
});

describe("the household's time zone", () => {
  test('"this month" and "today" are the household\'s: 25 hours apart on either side of the date line', async () => {
    const east = await t.signUp({ household: { timeZone: 'Pacific/Kiritimati' } }); // UTC+14
    const west = await t.signUp({ household: { timeZone: 'Pacific/Pago_Pago' } }); // UTC-11
    for (const [s, tz] of [[east, 'Pacific/Kiritimati'], [west, 'Pacific/Pago_Pago']] as const) {
      const before = Temporal.Now.plainDateISO(tz).toString();
      const got = await summary(s);
      const after = Temporal.Now.plainDateISO(tz).toString();
      assert.ok(got.today === before || got.today === after, `${tz}: ${got.today}`);
      assert.equal(got.month, got.today.slice(0, 7));
    }
    const [a, b] = [await summary(east), await summary(west)];
    assert.notEqual(a.today, b.today, 'the two households are never on the same date');
  });
});
