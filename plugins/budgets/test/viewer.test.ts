// A viewer (read-only household role) sees the budgets but no control to change them: no "New
// budget", no form, no edit or delete. The kernel refuses their writes anyway; the pages must not
// offer what will be refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel } from '../../../plugin-sdk/testing.ts';
import { seedLedger } from './ledger-fixtures.ts';

let t: TestKernel;
before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
});
after(() => t?.close());

test('a viewer sees budgets without write controls; an owner sees them', async () => {
  const owner = await t.signUp();
  const f = await seedLedger(t, owner.householdId);
  const res = await owner.api('POST', '/api/v1/budgets', { categoryId: f.groceries, amount: '100', periodType: 'monthly', year: 2024, month: 1 });
  assert.equal(res.status, 201, res.text);
  const id = res.json().id;
  const viewer = await t.join(owner, 'viewer');

  const writeControls = [/>New budget</, /\/edit"/, /Delete budget/, /Create one/];
  const mine = await owner.get('/p/budgets/?month=2024-03');
  for (const re of writeControls.slice(0, 2)) assert.match(mine.text, re);
  assert.match((await owner.get(`/p/budgets/${id}?month=2024-03`)).text, /Delete budget/);

  for (const path of ['/p/budgets/?month=2024-03', '/p/budgets/?month=2023-01', `/p/budgets/${id}?month=2024-03`]) {
    const page = await viewer.get(path);
    assert.equal(page.status, 200, path);
    for (const re of writeControls) assert.doesNotMatch(page.text, re, `${path}: ${re}`);
  }
  assert.match((await viewer.get('/p/budgets/?month=2024-03')).text, new RegExp(`id="budget-${id}"`), 'the budget itself is shown');

  for (const path of ['/p/budgets/new', `/p/budgets/${id}/edit`]) {
    const form = await viewer.get(path);
    assert.equal(form.status, 403, path);
    assert.doesNotMatch(form.text, /id="budget-form"/);
    assert.match(form.text, /Viewers can see the household's budgets but not change them/);
  }
  assert.equal((await viewer.form('/p/budgets/new', { categoryId: f.groceries, amount: '5', periodType: 'annual', year: '2024' })).status, 403);
  assert.equal((await viewer.form(`/p/budgets/${id}/delete`, {})).status, 403);
});
