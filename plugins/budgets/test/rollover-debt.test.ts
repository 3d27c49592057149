// A rollover budget whose carried debt is as large as the budget or larger has nothing available:
// no percentage of a zero or negative amount means anything, so the card says what was spent and by
// how much the budget is over, and its bar is full and marked over ("100% spent of -300" was shown).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel } from '../../../plugin-sdk/testing.ts';
import { insertTxns, seedLedger } from './ledger-fixtures.ts';

let t: TestKernel;
before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
});
after(() => t?.close());

const card = (html: string, id: string) => html.match(new RegExp(`<article class="[^"]*" id="budget-${id}">[\\s\\S]*?</article>`))?.[0] ?? '';

test('nothing available: "over budget by", no percentage, a full bar marked over; the API says percent null', async () => {
  const s = await t.signUp();
  const f = await seedLedger(t, s.householdId);
  const res = await s.api('POST', '/api/v1/budgets', { categoryId: f.groceries, amount: '100', periodType: 'monthly', year: 2025, month: 1, rollover: true });
  assert.equal(res.status, 201, res.text);
  const id = res.json().id;
  // January: 500 spent of 100, so February starts 400 in debt (100 - 400 = -300 available).
  await insertTxns(t, s.householdId, f.checking, [
    { date: '2025-01-10', amount: '-500', categoryId: f.groceries },
    { date: '2025-02-03', amount: '-1249.98', categoryId: f.groceries },
  ]);

  const feb = card((await s.get('/p/budgets/?month=2025-02')).text, id);
  assert.match(feb, /^<article class="budget-card over-budget"/);
  assert.match(feb, /<strong class="spent">1,249.98<\/strong> EUR spent, nothing available: <span class="available">-300.00<\/span> after what carried over/);
  assert.match(feb, /<span class="remaining error">over budget by 1,549.98<\/span>/);
  assert.doesNotMatch(feb, /% spent/);
  assert.doesNotMatch(feb, /of <span class="available">-/);
  assert.match(feb, /aria-valuenow="100">\s*<span style="width: 100%">/);
  assert.match(feb, /nothing available this period/);

  // March: nothing spent, still in debt: over, full bar, no percentage.
  const mar = card((await s.get('/p/budgets/?month=2025-03')).text, id);
  assert.match(mar, /<strong class="spent">0.00<\/strong> EUR spent, nothing available: <span class="available">-1,449.98<\/span>/);
  assert.match(mar, /over budget by 1,449.98/);
  assert.match(mar, /width: 100%/);

  // January is an ordinary over-budget month: its percentage stays.
  const jan = card((await s.get('/p/budgets/?month=2025-01')).text, id);
  assert.match(jan, /<strong class="spent">500.00<\/strong> of <span class="available">100.00<\/span> EUR spent/);
  assert.match(jan, /500% spent/);

  const items = (month: string) => s.api('GET', `/api/v1/budgets/summary?month=${month}`).then((r) => r.json().items[0]);
  assert.deepEqual(await items('2025-02').then((i) => [i.available, i.percent, i.overBudget]), ['-300', null, true]);
  assert.deepEqual(await items('2025-01').then((i) => [i.percent, i.overBudget]), [500, true]);

  // Its alert says so too, not "of -300.00".
  await t.asHousehold(s.householdId, (tx) => tx`insert into budgets.budget_alerts (budget_id, period_start, period_end, threshold, spent, available)
    values (${id}, '2025-02-01', '2025-02-28', 100, 1249.98, -300)`);
  assert.match((await s.get('/p/budgets/?month=2025-02')).text, /reached 100% \(1,249.98 EUR spent, nothing available\)/);

  const svg = (await s.get(`/p/budgets/${id}/history.svg?month=2025-02`)).text;
  assert.match(svg, /<title>Feb 2025: spent 1,249.98 EUR, nothing available \(-300.00 after what carried over\)<\/title>/);
});
