// In a real browser: the settings page's htmx forms swap in place, and a new household's time zone
// is guessed from the browser. Screenshots go to MFF_SCREENSHOTS when it is set.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, signedIn } from '../../test/support/browser.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { DEFAULT_PASSWORD, uniqueEmail } from '../../test/support/users.ts';
import { memberOf, owner } from './test-helpers.ts';

const shot = async (page: Page, name: string) => {
  if (process.env.MFF_SCREENSHOTS) await page.screenshot({ path: `${process.env.MFF_SCREENSHOTS}/${name}.png`, fullPage: true });
};


describe('households in a browser', () => {
  let s: TestServer;
  let browser: Browser;
  before(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('signs up, creates a household with the browser time zone, manages members and invites in place', async () => {
    const ctx = await browser.newContext({ timezoneId: 'America/Chicago' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    const email = uniqueEmail('browser');
    await page.goto(`${s.baseUrl}/signup`);
    await page.fill('input[name=name]', 'Bri');
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', DEFAULT_PASSWORD);
    await page.click('main button[type=submit]');
    await page.waitForURL(`${s.baseUrl}/households/new`);
    assert.equal(await page.inputValue('select[name=timeZone]'), 'America/Chicago');
    await shot(page, 'household-new');
    await page.fill('input[name=name]', 'Browser home');
    await page.selectOption('select[name=baseCurrency]', 'CAD');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${s.baseUrl}/`);
    assert.equal(await page.textContent('main h1'), 'Browser home');
    await shot(page, 'home');

    // Another user joins so there is a role to change.
    const me = await (await page.request.get(`${s.baseUrl}/api/v1/households`, { headers: { accept: 'application/json' } })).json();
    const householdId = me.items[0].id;
    const api = await ctx.request.post(`${s.baseUrl}/api/v1/households/${householdId}/invites`, {
      headers: { 'content-type': 'application/json', 'x-csrf-token': await page.getAttribute('meta[name=csrf-token]', 'content') ?? '' },
      data: { role: 'member' },
    });
    assert.equal(api.status(), 201);
    const { TestClient } = await import('../../test/support/client.ts');
    const { signUp } = await import('../../test/support/users.ts');
    const joiner = new TestClient(s.baseUrl);
    const joinerUser = await signUp(joiner, { name: 'Jo' });
    await joiner.get('/');
    const accepted = await joiner.api('POST', '/api/v1/invites/accept', { token: (await api.json()).token }, { headers: { 'x-csrf-token': joiner.csrf } });
    assert.equal(accepted.status, 200);

    await page.goto(`${s.baseUrl}/settings/household`);
    const url = page.url();
    // Changing the select submits through htmx and swaps the members section, no navigation.
    await page.selectOption(`#member-${joinerUser.id} select[name=role]`, 'viewer');
    await page.waitForResponse((r) => r.url().endsWith(`/members/${joinerUser.id}/role`));
    await page.waitForSelector(`#member-${joinerUser.id} option[value=viewer][selected]`, { state: 'attached' });
    assert.equal(page.url(), url);
    const role = await joiner.api('GET', `/api/v1/households/${householdId}`);
    assert.equal(role.json().role, 'viewer');

    await page.selectOption('#invites select[name=role]', 'viewer');
    await page.click('#invites button[type=submit]');
    await page.waitForSelector('#invites .secret');
    assert.match((await page.textContent('#invites .secret'))!, /\/invites\/accept\?token=/);
    assert.equal(page.url(), url);
    await shot(page, 'settings');

    page.on('dialog', (d) => d.accept());
    await page.click(`#member-${joinerUser.id} button:has-text("Remove")`);
    await page.waitForSelector(`#member-${joinerUser.id}`, { state: 'detached' });
    assert.equal((await joiner.api('GET', `/api/v1/households/${householdId}`)).status, 404);
    await ctx.close();
  });

  it('an htmx request the server refuses says so at the top of the page (htmx itself would show nothing)', async () => {
    const o = await owner(s.baseUrl, 'Refusals', 'Rae');
    const ctx = await browser.newContext();
    const page = await signedIn(ctx, s.baseUrl, o.user.email);
    assert.equal(await page.isVisible('#request-error'), false);
    await page.evaluate(() => (window as unknown as { htmx: { ajax(m: string, u: string, o: object): Promise<void> } }).htmx.ajax('GET', '/settings/no-such-panel', { target: '#main', swap: 'innerHTML' }));
    await page.waitForSelector('#request-error:not([hidden])');
    assert.match(await page.textContent('#request-error') ?? '', /no route for GET \/settings\/no-such-panel/, 'the server\'s own explanation');
    assert.equal(await page.textContent('main h1'), 'Refusals', 'the page is left as it was');
    await shot(page, 'htmx-refused');
    await ctx.close();
  });

  it('works without JavaScript: plain forms post and redirect', async () => {
    const o = await owner(s.baseUrl, 'No script', 'Nora');
    const m = await memberOf(s.baseUrl, o, o.householdId, 'member', 'Ned');
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await signedIn(ctx, s.baseUrl, o.user.email);
    await page.goto(`${s.baseUrl}/settings/household`);
    await page.selectOption(`#member-${m.user.id} select[name=role]`, 'owner');
    await page.click(`#member-${m.user.id} button:has-text("Change")`);
    await page.waitForURL(`${s.baseUrl}/settings/household`);
    assert.equal(await page.inputValue(`#member-${m.user.id} select[name=role]`), 'owner');
    await ctx.close();
  });
});
