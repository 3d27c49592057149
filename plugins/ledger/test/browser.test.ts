// In a real browser (Chromium), with htmx: the transactions list's inline category edit. Clicking a
// row's category brings a select in place; choosing saves and swaps the row; Escape puts the link
// back and changes nothing. The same flows without JavaScript are covered by pages.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { launchBrowser, signedIn } from '../../../test/support/browser.ts';

const A = '/api/v1/ledger';

describe('ledger in a browser', () => {
  let t: TestKernel;
  let s: TestSession;
  let browser: Browser;
  let page: Page;
  let txn: string;
  let groceries: { id: string; name: string };

  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url) }] });
    s = await t.signUp();
    const account = (await s.api('POST', `${A}/accounts`, { name: 'Checking', type: 'depository', currency: 'USD' })).json();
    txn = (await s.api('POST', `${A}/transactions`, { accountId: account.id, date: '2026-03-02', amount: '-12.50', payee: 'Corner Market' })).json().id;
    // The household's categories are seeded by an event handler, shortly after sign-up.
    for (let tries = 0; !groceries && tries < 100; tries++) {
      if (tries) await new Promise((r) => setTimeout(r, 100));
      const categories = (await s.api('GET', `${A}/categories?limit=500`)).json().items as { id: string; name: string; parentId: string | null }[];
      groceries = categories.find((c) => c.name === 'Groceries' && c.parentId)!;
    }
    assert.ok(groceries, 'the seeded categories have Groceries');
    browser = await launchBrowser();
    page = await signedIn(await browser.newContext(), t.baseUrl, s.user.email, s.user.password);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const categoryCell = () => page.locator(`#txn-${txn} a[title="Change category"]`);
  const categoryOf = async () => (await s.api('GET', `${A}/transactions/${txn}`)).json().categoryId as string | null;

  it('Escape closes the inline select and changes nothing', async () => {
    await page.goto(`${t.baseUrl}/p/ledger/transactions`);
    await categoryCell().click();
    const select = page.locator(`#txn-${txn} select[name=categoryId]`);
    await select.waitFor();
    // The select has focus (the keyboard can go on) and Escape gives the link back, focused.
    assert.equal(await select.evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('Escape');
    await categoryCell().waitFor();
    assert.equal(await page.locator(`#txn-${txn} select`).count(), 0);
    assert.equal((await categoryCell().textContent())?.trim(), 'Uncategorized ▾');
    assert.equal(await categoryCell().evaluate((el) => el === document.activeElement), true);
    assert.equal(await categoryOf(), null);
    assert.equal(page.url(), `${t.baseUrl}/p/ledger/transactions`);
  });

  it('choosing a category saves it and swaps the row in place', async () => {
    await categoryCell().click();
    const select = page.locator(`#txn-${txn} select[name=categoryId]`);
    await select.waitFor();
    await select.selectOption(groceries.id);
    await page.waitForFunction((id) => document.querySelector(`#txn-${id} a[title="Change category"]`)?.textContent?.includes('Groceries'), txn);
    assert.equal(await categoryOf(), groceries.id);
    assert.equal(page.url(), `${t.baseUrl}/p/ledger/transactions`);
  });

  it('on a phone-sized screen the main links sit behind a Menu button, and work', async () => {
    const phone = await signedIn(await browser.newContext({ viewport: { width: 390, height: 844 } }), t.baseUrl, s.user.email, s.user.password);
    assert.equal(await phone.locator('.main-nav').isVisible(), false, 'the wide row is hidden');
    const menu = phone.locator('.mobile-nav summary', { hasText: 'Menu' });
    assert.equal(await menu.isVisible(), true);
    await menu.click();
    await phone.locator('.mobile-nav a', { hasText: 'Ledger' }).click();
    await phone.waitForURL(`${t.baseUrl}/p/ledger/`);
    assert.equal(await phone.locator('h1').first().textContent(), 'Accounts');
    // The transactions table is wider than a phone: it scrolls in its own box, the page does not.
    await phone.goto(`${t.baseUrl}/p/ledger/transactions`);
    await phone.locator(`#txn-${txn}`).waitFor();
    assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth), 390, 'no sideways scrolling of the page');
    assert.ok(await phone.locator('.overflow-auto').evaluate((box) => box.scrollWidth > box.clientWidth), 'the table scrolls within its box');
    const wide = await signedIn(await browser.newContext({ viewport: { width: 1280, height: 900 } }), t.baseUrl, s.user.email, s.user.password);
    assert.equal(await wide.locator('.mobile-nav').isVisible(), false, 'and on a wide screen only the row shows');
    assert.equal(await wide.locator('.main-nav a', { hasText: 'Ledger' }).isVisible(), true);
  });
});
