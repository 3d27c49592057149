// The alerts on a month's page: those of the periods that page shows (not December's while viewing
// November or January), and one per budget and period, the highest threshold crossed (a budget over
// 100% is not listed again for 80%).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel } from '../../../plugin-sdk/testing.ts';
import { seedLedger } from './ledger-fixtures.ts';

let t: TestKernel;
before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
});
after(() => t?.close());

const alertLines = (html: string) => [...(html.match(/<section class="notice" id="alerts"[\s\S]*?<\/section>/)?.[0] ?? '').matchAll(/<strong>([^<]+)<\/strong> reached (\d+)% [^·]*· <small class="muted">(\S+) – (\S+)<\/small>/g)]
  .map((m) => `${m[1]} ${m[2]}% ${m[3]}`).sort();

test('a month shows the alerts of its own periods, the highest threshold per budget and period', async () => {
  const s = await t.signUp();
  const f = await seedLedger(t, s.householdId);
  const create = async (body: object) => (await s.api('POST', '/api/v1/budgets', body)).json().id as string;
  const monthly = await create({ categoryId: f.groceries, amount: '100', periodType: 'monthly', year: 2025, month: 1, name: 'Shop' });
  const annual = await create({ categoryId: f.fuel, amount: '1000', periodType: 'annual', year: 2025, name: 'Fuel' });
  const alert = (budget: string, start: string, end: string, threshold: number) => t.asHousehold(s.householdId, (tx) => tx`
    insert into budgets.budget_alerts (budget_id, period_start, period_end, threshold, spent, available)
    values (${budget}, ${start}, ${end}, ${threshold}, 120, 100)`);
  await alert(monthly, '2025-11-01', '2025-11-30', 80);
  await alert(monthly, '2025-12-01', '2025-12-31', 80);
  await alert(monthly, '2025-12-01', '2025-12-31', 100);
  await alert(annual, '2025-01-01', '2025-12-31', 80);

  const page = (month: string) => s.get(`/p/budgets/?month=${month}`).then((r) => r.text);
  assert.deepEqual(alertLines(await page('2025-12')), ['Fuel 80% 2025-01-01', 'Shop 100% 2025-12-01']);
  assert.deepEqual(alertLines(await page('2025-11')), ['Fuel 80% 2025-01-01', 'Shop 80% 2025-11-01']);
  assert.deepEqual(alertLines(await page('2025-10')), ['Fuel 80% 2025-01-01']);
  const jan = await page('2026-01');
  assert.deepEqual(alertLines(jan), []);
  assert.doesNotMatch(jan, /id="alerts"/);

  // The card's badge: the highest threshold only.
  const dec = await page('2025-12');
  const card = dec.match(new RegExp(`id="budget-${monthly}">[\\s\\S]*?</article>`))![0];
  assert.match(card, /<span class="badge" [^>]*>100% alert<\/span>/);
  assert.doesNotMatch(card, /80% alert/);
  // The API still lists each threshold the summary's period crossed.
  const item = (await s.api('GET', '/api/v1/budgets/summary?month=2025-12')).json().items.find((i: { budget: { id: string } }) => i.budget.id === monthly);
  assert.deepEqual(item.alerts, [80, 100]);
});
