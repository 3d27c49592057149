// Webhooks through the plugin's public endpoint (/hooks/plaid/<household>/webhook, no sign-in, no
// CSRF), sent by the fake with real ES256 signatures: forged, replayed, stale and wrongly signed
// ones are refused and change nothing; a good one acts once. Item webhooks update the item's state
// and the connections page tells the household what to do; update mode repairs the item.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postWebhook, replayOf, type WebhookVariant } from '../fake/index.ts';
import { connectBank, itemRow, ledgerTransactions, startPlaidApp, syncSettled, type PlaidApp } from './support/app.ts';

const mode = (process.env.MFF_TEST_PLUGIN_MODES?.split(',')[0] ?? 'sandboxed') as 'sandboxed' | 'in-process';

describe(`plaid webhooks (${mode})`, () => {
  let app: PlaidApp;
  let itemId: string;
  let url: string;
  const setStatus = (status: string) =>
    app.t.asHousehold(app.alice.householdId, (tx) => tx`update plaid.items set status = ${status}, error_code = null where item_id = ${itemId}`);
  const card = async () => {
    const page = await app.alice.get('/p/plaid/');
    const start = page.text.indexOf(`id="p-plaid-item-${itemId}"`);
    return page.text.slice(start, page.text.indexOf('</article>', start));
  };

  before(async () => {
    app = await startPlaidApp(mode, { defaultHistory: { count: 40, days: 30 } });
    itemId = await connectBank(app, 'ins_109508');
    await syncSettled(app, itemId);
    url = `${app.t.baseUrl}/hooks/plaid/${app.alice.householdId}/webhook`;
  });
  after(() => app?.close());

  test('the item was linked with this household\'s webhook URL, and SYNC_UPDATES_AVAILABLE syncs', async () => {
    const item = app.fake.item(itemId);
    assert.equal(item.item.webhook, url);
    const [added] = item.addTransactions([{ amount: 18.75, merchant: 'Starbucks' }]);
    const delivery = await item.notify();
    assert.equal(delivery?.status, 200, delivery?.error ?? '');
    await syncSettled(app, itemId);
    assert.equal((await ledgerTransactions(app)).get(added.transaction_id)?.amount, '-18.75');
  });

  const forged: WebhookVariant[] = ['wrong-key', 'unknown-kid', 'stale', 'future', 'tampered-body', 'no-body-hash', 'alg-hs256', 'alg-none', 'expired-key', 'no-kid', 'missing-header'];
  test(`forged, stale and wrongly signed webhooks are refused and change nothing (${forged.length} kinds)`, async () => {
    const body = { webhook_type: 'ITEM', webhook_code: 'ERROR', item_id: itemId, environment: 'sandbox', error: { error_code: 'ITEM_LOGIN_REQUIRED', error_type: 'ITEM_ERROR', error_message: 'the login details of this item have changed', display_message: null, status: 400, causes: [], documentation_url: '', suggested_action: null, error_code_reason: null } };
    for (const variant of forged) {
      const status = await postWebhook(url, await app.fake.webhookRequest(body, variant));
      assert.equal(status, 401, `${variant} is refused`);
    }
    assert.equal((await itemRow(app, itemId)).status, 'active');
    // The same body, correctly signed, is believed.
    assert.equal(await postWebhook(url, await app.fake.webhookRequest(body, 'valid')), 200);
    assert.equal((await itemRow(app, itemId)).status, 'login_required');
    await setStatus('active');
  });

  test('a good webhook acts once: the same request replayed is refused', async () => {
    const delivery = await app.fake.item(itemId).fireWebhook('ERROR', { errorCode: 'ITEM_LOGIN_REQUIRED' });
    assert.equal(delivery?.status, 200);
    assert.equal((await itemRow(app, itemId)).status, 'login_required');
    await setStatus('active');
    assert.equal(await postWebhook(url, replayOf(delivery!)), 401);
    assert.equal((await itemRow(app, itemId)).status, 'active', 'the replay changed nothing');
  });

  test('webhooks for another household\'s URL, an unknown household or a disabled path do not reach this household', async () => {
    const signed = await app.fake.webhookRequest({ webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED', item_id: itemId, environment: 'sandbox' }, 'valid');
    const bob = await app.t.signUp();
    // Bob's household connects through the same (instance's) Plaid account, so the signature holds,
    // but it has no such item: the webhook is ignored there, and nothing happens to Alice's.
    const atBob = await fetch(`${app.t.baseUrl}/hooks/plaid/${bob.householdId}/webhook`, { method: 'POST', body: signed.rawBody, headers: signed.headers });
    assert.deepEqual(await atBob.json(), { ok: true, action: 'ignored' });
    assert.equal(await postWebhook(`${app.t.baseUrl}/hooks/plaid/${crypto.randomUUID()}/webhook`, signed), 404);
    assert.equal(await postWebhook(`${app.t.baseUrl}/hooks/plaid/not-a-household/webhook`, signed), 404);
    assert.equal((await itemRow(app, itemId)).status, 'active');
    // The public route is not reachable as a signed-in page either.
    const inside = await app.alice.client.request('POST', '/p/plaid/_public/webhook', { body: signed.rawBody, headers: { ...signed.headers, 'x-csrf-token': app.alice.client.csrf } });
    assert.equal(inside.status, 404);
  });

  test('ITEM_LOGIN_REQUIRED asks the household to sign in again; update mode repairs the item and syncs', async () => {
    // The same body signed in the same second as the previous test's is the same webhook (its
    // replay id is the signed content): let the clock move on.
    await new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
    await app.fake.item(itemId).requireLogin();
    assert.equal((await itemRow(app, itemId)).status, 'login_required');
    assert.match(await card(), /needs you to sign in again/);
    assert.match(await card(), new RegExp(`href="/p/plaid/link\\?item=${itemId}" role="button">Reconnect`));
    // A sync meanwhile records the error in plain words instead of failing forever.
    assert.equal((await app.alice.form(`/p/plaid/items/${itemId}/sync`, {})).status, 303);
    const row = await syncSettled(app, itemId);
    assert.equal(row.last_error_code, 'ITEM_LOGIN_REQUIRED');
    // Update mode: the Link page for this item, then the bank's login again.
    const link = await app.alice.get(`/p/plaid/link?item=${itemId}`);
    assert.equal(link.status, 200);
    const linkToken = link.text.match(/name="link_token" value="([^"]+)"/)![1];
    const done = await app.alice.form('/p/plaid/link/stand-in', { link_token: linkToken, item: itemId });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/p/plaid/?notice=reconnected');
    const repaired = await syncSettled(app, itemId);
    assert.equal(repaired.status, 'active');
    assert.equal(repaired.last_error_code, null);
    assert.match(await card(), /Connected\./);
  });

  test('PENDING_EXPIRATION, PENDING_DISCONNECT and USER_PERMISSION_REVOKED say what to do', async () => {
    const item = app.fake.item(itemId);
    await item.pendingExpiration(new Date('2031-03-04T12:00:00Z'));
    assert.equal((await itemRow(app, itemId)).status, 'pending_expiration');
    assert.match(await card(), /permission to share data ends on 2031-03-04\. Reconnect before then/);
    await item.pendingDisconnect();
    assert.equal((await itemRow(app, itemId)).status, 'pending_disconnect');
    assert.match(await card(), /about to disconnect this connection[^<]*Reconnect to keep syncing/);
    await item.revokePermission();
    assert.equal((await itemRow(app, itemId)).status, 'revoked');
    assert.match(await card(), /Access was withdrawn[^<]*Remove this connection/);
    assert.doesNotMatch(await card(), /role="button">Reconnect/);
    await setStatus('active');
    app.fake.item(itemId).item.error = null;
  });

  test('NEW_ACCOUNTS_AVAILABLE offers to choose them; update mode with account selection adds them to the ledger', async () => {
    const before = (await app.t.asHousehold(app.alice.householdId, (tx) => tx`select count(*)::int as n from ledger.accounts where source = 'plaid'`))[0].n;
    await app.fake.item(itemId).addAccount('savings');
    assert.equal((await itemRow(app, itemId)).new_accounts_available, true);
    assert.match(await card(), new RegExp(`href="/p/plaid/link\\?item=${itemId}&amp;accounts=1" role="button">Choose new accounts`));
    const link = await app.alice.get(`/p/plaid/link?item=${itemId}&accounts=1`);
    const linkToken = link.text.match(/name="link_token" value="([^"]+)"/)![1];
    assert.equal((await app.alice.form('/p/plaid/link/stand-in', { link_token: linkToken, item: itemId })).status, 303);
    await syncSettled(app, itemId);
    const after = (await app.t.asHousehold(app.alice.householdId, (tx) => tx`select count(*)::int as n from ledger.accounts where source = 'plaid'`))[0].n;
    assert.equal(after, before + 1);
    assert.equal((await itemRow(app, itemId)).new_accounts_available, false);
  });
});
