// In a real browser (Chromium), with htmx: the rule form grows and shrinks in place, a changed
// condition kind brings the right value field, saving lands on the list, move up/down swaps the list
// in place, and the budgets page shows its chart image. The same pages without JavaScript are
// covered by pages.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { launchBrowser, signedIn } from '../../../test/support/browser.ts';
import { createRule } from './helpers.ts';
import { insertTxn, seedLedger, type Fixtures } from './ledger-fixtures.ts';

const shot = async (page: Page, name: string) => {
  if (process.env.MFF_SCREENSHOTS) await page.screenshot({ path: `${process.env.MFF_SCREENSHOTS}/${name}.png`, fullPage: true });
};

describe('rules and budgets in a browser', () => {
  let t: TestKernel;
  let s: TestSession;
  let f: Fixtures;
  let browser: Browser;
  let page: Page;

  before(async () => {
    t = await createTestKernel({
      plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }, { dir: pluginDir(import.meta.url, '../../budgets') }],
    });
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
    browser = await launchBrowser();
    page = await signedIn(await browser.newContext(), t.baseUrl, s.user.email, s.user.password);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('builds a rule with htmx: rows added, kind changed, saved', async () => {
    await page.goto(`${t.baseUrl}/p/rules/new`);
    await page.fill('input[name=name]', 'Coffee shops');
    await page.fill('input[name="c0.value"]', 'coffee');
    // "Add condition" swaps the form in place (no navigation): the typed value is still there.
    await page.click('button[value=add_condition]');
    await page.waitForSelector('select[name="c1.kind"]');
    assert.equal(await page.inputValue('input[name="c0.value"]'), 'coffee');
    assert.equal(page.url(), `${t.baseUrl}/p/rules/new`);
    // Changing the kind re-renders the row with an account picker.
    await page.selectOption('select[name="c1.kind"]', 'account:is');
    await page.waitForSelector('select[name="c1.ids"]');
    await page.selectOption('select[name="c1.ids"]', [f.card]);
    await page.selectOption('select[name="a0.categoryId"]', f.dining);
    await page.click('button[value=add_action]');
    await page.waitForSelector('select[name="a1.type"]');
    await page.selectOption('select[name="a1.type"]', 'add_tag');
    await page.waitForSelector('input[name="a1.value"]');
    await page.fill('input[name="a1.value"]', 'caffeine');
    await shot(page, 'rules-form');
    await page.click('form#rule-form p > button[value=save]');
    await page.waitForURL(`${t.baseUrl}/p/rules/`);
    const [rule] = (await s.api('GET', '/api/v1/rules')).json().rules;
    assert.deepEqual(rule.conditions, [{ field: 'payee', op: 'contains', value: 'coffee' }, { field: 'account', op: 'is', value: [f.card] }]);
    assert.deepEqual(rule.actions, [{ type: 'set_category', categoryId: f.dining }, { type: 'add_tag', value: 'caffeine' }]);
  });

  it('moves a rule with htmx: the list swaps in place', async () => {
    await createRule(s, { name: 'Second rule', conditions: [{ field: 'payee', op: 'contains', value: 'x' }], actions: [{ type: 'exclude' }] });
    await page.goto(`${t.baseUrl}/p/rules/`);
    const order = () => page.$$eval('.stage-heading:has(#stage-default) + .overflow-auto table tbody tr strong a', (as) => as.map((a) => a.textContent));
    assert.deepEqual(await order(), ['Coffee shops', 'Second rule']);
    await page.click('button[aria-label="Move Second rule up"]');
    await page.waitForFunction(() => document.querySelector('.stage-heading:has(#stage-default) + .overflow-auto table tbody tr strong a')?.textContent === 'Second rule');
    assert.deepEqual(await order(), ['Second rule', 'Coffee shops']);
    await shot(page, 'rules-list');
    assert.equal(page.url(), `${t.baseUrl}/p/rules/`);
  });

  it('the test box answers in place', async () => {
    const txn = await insertTxn(t, s.householdId, { accountId: f.card, payee: 'Blue Coffee', amount: '-3.20' });
    await page.goto(`${t.baseUrl}/p/rules/`);
    await page.selectOption('select[name=transactionId]', txn);
    await page.click('#try button[type=submit]');
    await page.waitForSelector('#try .fired-rules');
    assert.equal(await page.textContent('#try .fired-rules'), 'Coffee shops');
    await shot(page, 'rules-try');
  });

  it('the budgets page renders its SVG chart image', async () => {
    const now = Temporal.Now.plainDateISO('Europe/Berlin');
    await s.api('POST', '/api/v1/budgets', { categoryId: f.food, amount: '100', periodType: 'monthly', year: now.year, month: now.month });
    await s.api('POST', '/api/v1/budgets', { categoryId: f.fuel, amount: '50', periodType: 'monthly', year: now.year - 1, month: now.month, rollover: true });
    await insertTxn(t, s.householdId, { accountId: f.card, payee: 'Market', amount: '-85.00', date: now.toString(), categoryId: f.groceries });
    await insertTxn(t, s.householdId, { accountId: f.card, payee: 'Fuel', amount: '-640.00', date: now.toString(), categoryId: f.fuel });
    await insertTxn(t, s.householdId, { accountId: f.card, payee: 'Fuel', amount: '-30.00', date: now.subtract({ months: 3 }).toString(), categoryId: f.fuel });
    await t.runJob('budgets', 'check-alerts', s.householdId);
    await page.goto(`${t.baseUrl}/p/budgets/`);
    const img = await page.waitForSelector('img.budget-history');
    await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, img);
    assert.equal(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth), 360);
    await shot(page, 'budgets');
  });

  it('on a phone-sized screen the rules list and a budget\'s page fit its width (wide tables scroll in their box)', async () => {
    const phone = await signedIn(await browser.newContext({ viewport: { width: 390, height: 844 } }), t.baseUrl, s.user.email, s.user.password);
    const budget = (await s.api('GET', '/api/v1/budgets')).json().budgets[0].id as string;
    for (const path of ['/p/rules/', `/p/budgets/${budget}`, '/p/budgets/']) {
      await phone.goto(t.baseUrl + path);
      assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth), 390, `${path}: no sideways scrolling of the page`);
    }
  });
});
