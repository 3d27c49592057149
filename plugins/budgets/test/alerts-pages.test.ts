// Alerts (80% and 100%, once per period, as an event another plugin receives, also when the ledger
// announces new transactions), the budgets pages (period navigation, over budget / over pace,
// charts, drill-down, the form without JavaScript), and isolation between households.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { received } from './alert-probe/index.ts';
import { insertTxns, seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
before(async () => {
  t = await createTestKernel({
    plugins: [
      { dir: pluginDir(import.meta.url, '../../ledger') },
      { dir: pluginDir(import.meta.url) },
      { dir: pluginDir(import.meta.url, 'alert-probe') },
    ],
  });
});
after(() => t?.close());

const todayIn = (tz: string) => Temporal.Now.plainDateISO(tz);

async function budget(s: TestSession, body: Record<string, unknown>): Promise<string> {
  const res = await s.api('POST', '/api/v1/budgets', body);
  assert.equal(res.status, 201, res.text);
  return res.json().id;
}

async function until<T>(what: string, fn: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('alerts', () => {
  let s: TestSession;
  let f: Fixtures;
  let id: string;
  const tz = 'Europe/Berlin';
  const mine = () => received.filter((r) => r.household === s.householdId);

  before(async () => {
    s = await t.signUp({ household: { timeZone: tz } });
    f = await seedLedger(t, s.householdId);
    const now = todayIn(tz);
    id = await budget(s, { categoryId: f.groceries, amount: '100', periodType: 'monthly', year: now.year, month: now.month });
  });

  test('crossing 80% and then 100% emits one event each, once per period, and the summary shows them', async () => {
    const date = todayIn(tz).toString();
    const check = () => t.runJob('budgets', 'check-alerts', s.householdId);
    await insertTxns(t, s.householdId, f.checking, [{ date, amount: '-50', categoryId: f.groceries }]);
    await check();
    assert.equal(mine().length, 0);

    await insertTxns(t, s.householdId, f.checking, [{ date, amount: '-35', categoryId: f.groceries }]);
    await check();
    const first = await until('the 80% event', () => mine().length === 1 && mine());
    assert.deepEqual({ ...first[0].payload, period: undefined }, {
      budgetId: id, label: 'Groceries', categoryId: f.groceries, threshold: 80, spent: '85', available: '100', currency: 'EUR', period: undefined,
    });
    await check();
    await check();

    await insertTxns(t, s.householdId, f.checking, [{ date, amount: '-20', categoryId: f.groceries }]);
    await check();
    const both = await until('the 100% event', () => mine().length === 2 && mine());
    assert.equal(both[1].payload.threshold, 100);
    assert.equal(both[1].payload.spent, '105');
    await check();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(mine().length, 2, 'each threshold fires once per period');

    const item = (await s.api('GET', '/api/v1/budgets/summary')).json().items.find((i: { budget: { id: string } }) => i.budget.id === id);
    assert.deepEqual(item.alerts, [80, 100]);
    assert.equal(item.overBudget, true);
    const alerts = (await s.api('GET', '/api/v1/budgets/alerts')).json().alerts;
    assert.deepEqual(alerts.map((a: { threshold: number }) => a.threshold).sort((x: number, y: number) => x - y), [80, 100]);
    const page = await s.get('/p/budgets/');
    assert.match(page.text, /<strong>Groceries<\/strong> reached 100%/);
    // One badge and one listed alert per period: 100% implies 80%.
    assert.match(page.text, /<span class="badge" [^>]*>100% alert<\/span>/);
    assert.doesNotMatch(page.text, /80% alert|reached 80%/);
  });

  test('transactions the ledger announces are checked without waiting for the schedule', async () => {
    const now = todayIn(tz);
    const dining = await budget(s, { categoryId: f.dining, amount: '10', periodType: 'monthly', year: now.year, month: now.month });
    const ledger = t.kernel.plugins.get('ledger')!;
    const call = await t.kernel.plugins.bus.jobCall(ledger, s.householdId, null);
    const accounts = await ledger.runtime!.service('ledger.sources', 'upsertAccounts', ['bank', [{ externalId: 'a1', name: 'Bank', type: 'depository', currency: 'EUR' }]], call) as Record<string, string>;
    await ledger.runtime!.service('ledger.sources', 'applyTransactionBatch', [{
      source: 'bank',
      added: [{ accountId: accounts.a1, externalId: 'x1', date: now.toString(), amount: '-12.00', currency: 'EUR', payee: 'Diner', providerCategory: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_RESTAURANT' } }],
    }], call);
    const events = await until('alerts for the dining budget', () => {
      const got = mine().filter((r) => r.payload.budgetId === dining);
      return got.length === 2 && got;
    });
    assert.deepEqual(events.map((e) => e.payload.threshold as number).sort((x, y) => x - y), [80, 100]);
  });
});

describe('the budgets pages', () => {
  let s: TestSession;
  let f: Fixtures;
  const tz = 'UTC';
  let monthly: string;
  let pace: string;

  before(async () => {
    s = await t.signUp({ household: { timeZone: tz } });
    f = await seedLedger(t, s.householdId);
    monthly = await budget(s, { categoryId: f.food, amount: '100', periodType: 'monthly', year: 2023, month: 1, name: 'Food <b>' });
    // A ten-day custom budget that started yesterday: 20% of it is gone today.
    const now = todayIn(tz);
    pace = await budget(s, { categoryId: f.fuel, amount: '100', periodType: 'custom', startDate: now.subtract({ days: 1 }).toString(), endDate: now.add({ days: 8 }).toString() });
    await insertTxns(t, s.householdId, f.checking, [
      { date: '2024-03-05', amount: '-70.00', categoryId: f.groceries, payee: 'Market' },
      { date: '2024-03-06', amount: '-45.50', categoryId: f.dining, payee: 'Diner' },
      { date: '2024-03-07', amount: '5.50', categoryId: f.dining, payee: 'Diner refund' },
      { date: now.toString(), amount: '-50', categoryId: f.fuel, payee: 'Fuel' },
    ]);
    await s.get('/p/budgets/');
  });

  test('a month\'s page: navigation, figures, over budget highlighted, a chart per budget', async () => {
    const res = await s.get('/p/budgets/?month=2024-03');
    assert.equal(res.status, 200);
    assert.match(res.text, /<a href="\/p\/budgets\/\?month=2024-02" rel="prev">← February 2024<\/a>/);
    assert.match(res.text, /<strong aria-current="page" id="month">March 2024<\/strong>/);
    assert.match(res.text, /<a href="\/p\/budgets\/\?month=2024-04" rel="next">April 2024 →<\/a>/);
    assert.match(res.text, new RegExp(`<article class="budget-card over-budget" id="budget-${monthly}">`));
    assert.match(res.text, /Food &lt;b&gt;/, 'names are escaped');
    assert.match(res.text, /<strong class="spent">110.00<\/strong> of <span class="available">100.00<\/span> EUR spent/);
    assert.match(res.text, /10.00 over/);
    assert.match(res.text, /<span class="badge over-budget">Over budget<\/span>/);
    assert.match(res.text, new RegExp(`<img src="/p/budgets/${monthly}/history.svg\\?month=2024-03"`));
    assert.doesNotMatch(res.text, new RegExp(`id="budget-${pace}"`), 'the custom budget is not in March 2024');
  });

  test('over pace: spent more than the share of the period gone, not yet over budget', async () => {
    const res = await s.get('/p/budgets/');
    assert.match(res.text, new RegExp(`<article class="budget-card over-pace" id="budget-${pace}">`));
    assert.match(res.text, /<span class="badge over-pace">Over pace<\/span>/);
    assert.match(res.text, /50% spent, 20% of the period gone/);
    const item = (await s.api('GET', '/api/v1/budgets/summary')).json().items.find((i: { budget: { id: string } }) => i.budget.id === pace);
    assert.equal(item.elapsed, 0.2);
    assert.equal(item.overPace, true);
    assert.equal(item.overBudget, false);
  });

  test('the history chart is server-rendered SVG with the last 12 periods', async () => {
    const svg = await s.get(`/p/budgets/${monthly}/history.svg?month=2024-03`);
    assert.equal(svg.status, 200);
    assert.match(svg.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.equal((svg.text.match(/<rect /g) ?? []).length, 12);
    assert.match(svg.text, /<title>Mar 2024: spent 110.00 of 100.00 EUR<\/title><rect [^>]*class="bar over"/);
    assert.match(svg.text, /<text [^>]*>Apr<\/text>/);
  });

  test('the budget page drills down to the transactions that make up the figure', async () => {
    const res = await s.get(`/p/budgets/${monthly}?month=2024-03`);
    assert.equal(res.status, 200);
    assert.match(res.text, /<svg [^>]*class="budget-history"/);
    assert.doesNotMatch(res.text, /<img src="[^"]*history.svg/, 'one history chart: the card leaves its small one out here');
    assert.match(res.text, /<h2>Transactions in Mar 2024<\/h2>/);
    assert.equal((res.text.match(/<tr id="txn-/g) ?? []).length, 3);
    assert.match(res.text, /<th class="amount" id="total">110.00<\/th>/);
    assert.match(res.text, /Diner refund/);
  });

  test('the form without JavaScript: errors on the fields (422), then create, edit and delete', async () => {
    const bad = await s.form('/p/budgets/new', { categoryId: f.groceries, amount: '50', currency: 'EUR', periodType: 'monthly', year: '2024', month: '', quarter: '', startDate: '', endDate: '', name: '' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /<small class="field-error">month is required for a monthly budget<\/small>/);
    assert.match(bad.text, new RegExp(`<option value="${f.groceries}" selected>`), 'what was typed is kept');
    // Said at the top too, where it cannot be missed, and with a message for a mistyped year.
    assert.match(bad.text, /<div class="notice error" role="alert" id="form-errors"><strong>The budget was not saved.<\/strong>\s*<ul><li>Month: month is required for a monthly budget<\/li><\/ul>/);
    const typo = await s.form('/p/budgets/new', { categoryId: f.groceries, amount: '50', currency: 'EUR', periodType: 'monthly', year: '20x6', month: '' });
    assert.equal(typo.status, 422);
    assert.match(typo.text, /<li>Year: must be a year such as 2026<\/li>/);
    assert.match(typo.text, /<small class="field-error">must be a year such as 2026<\/small>/);
    const api = await s.api('POST', '/api/v1/budgets', { categoryId: f.groceries, amount: '50', periodType: 'monthly', year: 2026, month: '' });
    assert.equal(api.status, 400);
    assert.match(api.json().detail, /^body\.month: must be a month number, 1-12$/);
    const none = await s.api('POST', '/api/v1/budgets', { categoryId: f.groceries, amount: '50', periodType: 'monthly', year: 2026 });
    assert.match(none.json().detail, /^body\.month: month is required for a monthly budget$/);
    const ok = await s.form('/p/budgets/new', { categoryId: f.groceries, amount: '50', currency: 'EUR', periodType: 'quarterly', year: '2024', month: '3', quarter: '2', startDate: '', endDate: '', name: '', rollover: 'on' });
    assert.equal(ok.status, 303);
    const id = ok.location!.split('/').pop()!;
    const created = (await s.api('GET', `/api/v1/budgets/${id}`)).json();
    assert.deepEqual([created.periodType, created.year, created.quarter, created.month, created.rollover], ['quarterly', 2024, 2, null, true]);
    const edit = await s.get(`/p/budgets/${id}/edit`);
    assert.match(edit.text, /<option value="quarterly" selected>/);
    const saved = await s.form(`/p/budgets/${id}/edit`, { categoryId: f.groceries, amount: '75.5', currency: 'EUR', periodType: 'annual', year: '2025', month: '', quarter: '', startDate: '', endDate: '', name: 'Food shop' });
    assert.equal(saved.status, 303);
    const edited = (await s.api('GET', `/api/v1/budgets/${id}`)).json();
    assert.deepEqual([edited.label, edited.amount, edited.periodType, edited.year, edited.quarter, edited.rollover], ['Food shop', '75.5', 'annual', 2025, null, false]);
    const income = await s.form(`/p/budgets/${id}/edit`, { categoryId: f.salary, amount: '1', currency: 'EUR', periodType: 'annual', year: '2025', month: '', quarter: '', startDate: '', endDate: '', name: '' });
    assert.equal(income.status, 422);
    assert.match(income.text, /budgets count spending/);
    const gone = await s.form(`/p/budgets/${id}/delete`, {});
    assert.equal(gone.status, 303);
    assert.equal((await s.api('GET', `/api/v1/budgets/${id}`)).status, 404);
  });
});

describe('isolation between households', () => {
  test('every budgets endpoint answers 404 for another household\'s budget; summaries never mix', async () => {
    const alice = await t.signUp();
    const bob = await t.signUp();
    const fa = await seedLedger(t, alice.householdId);
    await seedLedger(t, bob.householdId);
    const id = await budget(alice, { categoryId: fa.groceries, amount: '100', periodType: 'monthly', year: 2024, month: 1 });
    await insertTxns(t, alice.householdId, fa.checking, [{ date: '2024-03-03', amount: '-40', categoryId: fa.groceries }]);
    const body = { categoryId: fa.groceries, amount: '1', periodType: 'annual', year: 2024 };
    for (const [method, path, b] of [
      ['GET', `/api/v1/budgets/${id}`], ['PUT', `/api/v1/budgets/${id}`, body], ['PATCH', `/api/v1/budgets/${id}`, { amount: '1' }],
      ['DELETE', `/api/v1/budgets/${id}`], ['GET', `/api/v1/budgets/${id}/history`], ['GET', `/api/v1/budgets/${id}/transactions?month=2024-03`],
      ['POST', '/api/v1/budgets', body],
    ] as [string, string, unknown?][]) {
      const res = await bob.api(method, path, b);
      assert.equal(res.status, 404, `${method} ${path}: ${res.status} ${res.text}`);
    }
    await bob.get('/p/budgets/');
    for (const path of [`/p/budgets/${id}`, `/p/budgets/${id}/edit`, `/p/budgets/${id}/history.svg`]) {
      assert.equal((await bob.get(path)).status, 404, path);
    }
    for (const path of [`/p/budgets/${id}/edit`, `/p/budgets/${id}/delete`]) {
      assert.equal((await bob.form(path, { categoryId: fa.groceries, amount: '1', periodType: 'annual', year: '2024' })).status, 404, path);
    }
    const theirs = (await bob.api('GET', '/api/v1/budgets/summary?month=2024-03')).json();
    assert.deepEqual(theirs.items, []);
    assert.deepEqual((await bob.api('GET', '/api/v1/budgets')).json().budgets, []);
    assert.deepEqual((await bob.api('GET', '/api/v1/budgets/alerts')).json().alerts, []);
    const mine = (await alice.api('GET', '/api/v1/budgets/summary?month=2024-03')).json();
    assert.equal(mine.items[0].spent, '40');
  });
});
