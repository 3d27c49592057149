// Slots on pages other than home: the household settings page shows plugins' settings.section
// fragments, and a plugin page (the ledger's account page) shows other plugins' account.tab
// fragments through the SDK's slot() placeholder, which the kernel expands in both modes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { availableModes, createTestKernel, type TestKernel, type TestSession } from '../../plugin-sdk/testing.ts';
import { slot } from '../../plugin-sdk/index.ts';
import { expandSlots } from './slots.ts';

const root = join(import.meta.dirname, '../..');
const unescape = (s: string) => s.replaceAll('&amp;', '&').replaceAll('&#61;', '=').replaceAll('&#38;', '&');

for (const mode of await availableModes()) {
  describe(`slots on kernel and plugin pages (tabs ${mode})`, () => {
    let t: TestKernel;
    let alice: TestSession;

    before(async () => {
      t = await createTestKernel({
        plugins: [{ dir: join(root, 'plugins/ledger') }, { dir: join(import.meta.dirname, 'fixtures/tabs'), mode }],
      });
      alice = await t.signUp({ household: { name: 'Alice & co' } });
    });
    after(() => t?.close());

    test('the household settings page has a settings.section placeholder whose fragment is the plugin\'s', async () => {
      const page = await alice.get('/settings/household');
      assert.equal(page.status, 200);
      const src = page.text.match(/<article class="plugin-slot slot-settings-section" data-plugin="tabs">[\s\S]*?hx-get="([^"]+)"/)?.[1];
      assert.equal(src && unescape(src), '/p/tabs/_slot/settings.section');
      assert.match(page.text, /<strong>Tabs settings<\/strong>/);
      const fragment = await alice.get(unescape(src!), { 'hx-request': 'true' });
      assert.equal(fragment.status, 200);
      assert.match(fragment.text, /<p class="p-tabs-section">Section for Alice &#38; co \(owner\)<\/p>/);
    });

    test('a plugin call carries the household as it is now: a rename shows in the next fragment', async () => {
      // The household's name travels with the credential's lookup (core/auth/principal.ts), read per request.
      const renamed = await alice.form('/settings/household', { name: 'Alice & Bob', baseCurrency: 'EUR', timeZone: 'UTC' });
      assert.ok(renamed.status < 400, renamed.text);
      const fragment = await alice.get('/p/tabs/_slot/settings.section', { 'hx-request': 'true' });
      assert.match(fragment.text, /Section for Alice &#38; Bob \(owner\)/);
      await alice.form('/settings/household', { name: 'Alice & co', baseCurrency: 'EUR', timeZone: 'UTC' });
      assert.match((await alice.get('/p/tabs/_slot/settings.section', { 'hx-request': 'true' })).text, /Section for Alice &#38; co/);
    });

    test("the ledger's account page shows the account.tab fragments of other plugins, for that account", async () => {
      const made = await alice.api('POST', '/api/v1/ledger/accounts', { name: 'Checking', type: 'depository', currency: 'EUR' });
      assert.equal(made.status, 201, made.text);
      const id = made.json().id;
      const page = await alice.get(`/p/ledger/accounts/${id}`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.text, /<mff-slot/, 'the placeholder is expanded, not sent');
      const src = page.text.match(/data-plugin="tabs">[\s\S]*?hx-get="([^"]+)"/)?.[1];
      assert.equal(src && unescape(src), `/p/tabs/_slot/account.tab?accountId=${id}`);
      const fragment = await alice.get(unescape(src!), { 'hx-request': 'true' });
      assert.match(fragment.text, new RegExp(`Tab of account ${id} in Alice &#38; co`));
    });

    test(`a ${mode} plugin page's slot() placeholder is expanded, as a page and as an htmx fragment`, async () => {
      const variants: Record<string, string>[] = [{}, { 'hx-request': 'true' }];
      for (const headers of variants) {
        const page = await alice.get('/p/tabs/with-slot?account=a%26b', headers);
        assert.equal(page.status, 200, page.text);
        assert.match(page.text, /id="p-tabs-page"/);
        assert.doesNotMatch(page.text, /<mff-slot/);
        const src = page.text.match(/data-plugin="tabs">[\s\S]*?hx-get="([^"]+)"/)?.[1];
        assert.equal(src && unescape(src), '/p/tabs/_slot/account.tab?accountId=a%26b');
      }
    });
  });
}

describe('expandSlots', () => {
  const kernel = {
    plugins: { list: () => [{ id: 'x', status: 'active', runtime: { shape: { fragments: { 'account.tab': { title: 'X' } } } } }] },
    views: { render: (_v: string, d: { entry: { src: string } }) => `[${d.entry.src}]` },
  } as never;

  test('expands known slots with their props and drops unknown ones and nav', () => {
    assert.equal(expandSlots(kernel, `a${slot('account.tab', { accountId: '1 "2"' })}b`), 'a[/p/x/_slot/account.tab?accountId=1+%222%22]b');
    assert.equal(expandSlots(kernel, '<mff-slot name="nav"></mff-slot>|<mff-slot name="kernel.secret"></mff-slot>'), '|');
    assert.equal(expandSlots(kernel, '<mff-slot name="settings.section"></mff-slot>'), '', 'no plugin fills it');
    assert.equal(expandSlots(kernel, `<mff-slot name="account.tab" props="${'a=1&amp;'.repeat(600)}"></mff-slot>`), '', 'oversized props');
  });
});
