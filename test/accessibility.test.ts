// Accessibility, checked by axe-core (Deque's rules engine, the one browsers' audit tools use) in
// Chromium on the pages a household uses, with data on them: no violation of any impact. The app's
// CSP would refuse the injected checker, so this browser context bypasses it (the app is unchanged).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestKernel, type TestKernel, type TestSession } from '../plugin-sdk/testing.ts';
import { launchBrowser } from './support/browser.ts';

const root = join(import.meta.dirname, '..');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };

describe('accessibility (axe-core)', () => {
  let t: TestKernel;
  let s: TestSession;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};

  before(async () => {
    t = await createTestKernel({ plugins: ['ledger', 'rules', 'budgets', 'import'].map((p) => ({ dir: join(root, 'plugins', p) })) });
    s = await t.signUp();
    let groceries: string | undefined;
    for (let tries = 0; !groceries && tries < 100; tries++) {
      if (tries) await new Promise((r) => setTimeout(r, 100));
      const categories = (await s.api('GET', '/api/v1/ledger/categories?limit=500')).json().items as { id: string; name: string }[];
      groceries = categories.find((c) => c.name === 'Groceries')?.id;
    }
    assert.ok(groceries, 'the seeded categories have Groceries');
    ids.account = (await s.api('POST', '/api/v1/ledger/accounts', { name: 'Everyday', type: 'depository', currency: 'USD' })).json().id;
    const month = new Date().toISOString().slice(0, 7);
    for (let d = 1; d <= 3; d++) {
      ids.txn = (await s.api('POST', '/api/v1/ledger/transactions', { accountId: ids.account, date: `${month}-0${d}`, amount: `-${30 + d}.00`, currency: 'USD', payee: 'Corner Market', categoryId: groceries, tags: ['food'] })).json().id;
    }
    const now = new Date();
    ids.budget = (await s.api('POST', '/api/v1/budgets', { categoryId: groceries, amount: '40', currency: 'USD', periodType: 'monthly', year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 })).json().id;
    ids.rule = (await s.api('POST', '/api/v1/rules', { name: 'Market', match: 'all', conditions: [{ field: 'payee', op: 'contains', value: 'market' }], actions: [{ type: 'add_tag', value: 'market' }] })).json().id;
    browser = await launchBrowser();
    const ctx = await browser.newContext({ bypassCSP: true });
    await ctx.addCookies(s.client.cookieHeader().split('; ').filter(Boolean).map((c) => {
      const i = c.indexOf('=');
      return { name: c.slice(0, i), value: c.slice(i + 1), url: t.baseUrl };
    }));
    page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const violations = async (path: string): Promise<string[]> => {
    const res = await page.goto(t.baseUrl + path);
    assert.equal(res?.status(), 200, `${path}: ${res?.status()}`);
    await page.addScriptTag({ path: axePath });
    const found = (await page.evaluate(() => (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe.run())).violations as Violation[];
    return found.map((v) => `${path}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  };

  it('the kernel\'s pages: home, household settings, access tokens', async () => {
    const found = [...(await violations('/')), ...(await violations('/settings/household')), ...(await violations('/settings/tokens'))];
    assert.deepEqual(found, []);
  });

  it('the ledger\'s pages: accounts, an account, transactions, a transaction, categories', async () => {
    const found = [];
    for (const p of ['/p/ledger/', `/p/ledger/accounts/${ids.account}`, '/p/ledger/transactions', `/p/ledger/transactions/${ids.txn}`, '/p/ledger/categories']) found.push(...(await violations(p)));
    assert.deepEqual(found, []);
  });

  it('budgets (an over-budget card with its badges), rules, their forms, and the import page', async () => {
    const found = [];
    for (const p of ['/p/budgets/', `/p/budgets/${ids.budget}`, '/p/budgets/new', '/p/rules/', `/p/rules/${ids.rule}/edit`, `/p/rules/new?from=${ids.txn}`, '/p/import/']) found.push(...(await violations(p)));
    assert.deepEqual(found, []);
  });
});
