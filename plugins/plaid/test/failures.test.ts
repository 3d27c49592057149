// Failure scenarios through the official SDK: rate limits (429), Plaid outages (500), an item that
// needs the user to log in again and its repair through update mode, credentials, the Link token
// flow, and removed items.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Configuration, PlaidApi, type Products } from 'plaid';
import type { FakePlaid } from '../fake/index.ts';
import { startReceiver, type Receiver } from './support/receiver.ts';
import { plaidFailure, startFake } from './support/sdk.ts';
import { syncAll } from './support/sync.ts';

let fake: FakePlaid;
let plaid: PlaidApi;
let receiver: Receiver;

before(async () => {
  receiver = await startReceiver();
  ({ fake, plaid } = await startFake({ seed: 'failures' }));
});
after(async () => {
  await fake.close();
  await receiver.close();
});

describe('rate limits and server errors', () => {
  test('scripted 429s hit only the chosen item and endpoint, then it answers again', async () => {
    const item = fake.connect({ institutionId: 'ins_109508', history: { count: 10 } });
    const other = fake.connect({ institutionId: 'ins_109508', history: { count: 10 } });
    item.rateLimit(2, '/transactions/sync');
    await plaid.accountsGet({ access_token: item.accessToken });
    await plaid.transactionsSync({ access_token: other.accessToken });
    for (let i = 0; i < 2; i++) {
      const e = await plaidFailure(plaid.transactionsSync({ access_token: item.accessToken }));
      assert.deepEqual([e.status, e.body.error_type, e.body.error_code], [429, 'RATE_LIMIT_EXCEEDED', 'TRANSACTIONS_SYNC_LIMIT']);
      assert.equal(typeof e.body.request_id, 'string');
    }
    assert.equal((await plaid.transactionsSync({ access_token: item.accessToken })).data.added.length, 10);
    const log = fake.requests.filter((r) => r.itemId === item.itemId && r.path === '/transactions/sync').map((r) => r.status);
    assert.deepEqual(log, [429, 429, 200]);
  });

  test('scripted 500s, per item and for the whole fake', async () => {
    const item = fake.connect({ institutionId: 'ins_109508', history: { count: 10 } });
    item.fail500(1);
    const e = await plaidFailure(plaid.itemGet({ access_token: item.accessToken }));
    assert.deepEqual([e.status, e.body.error_type, e.body.error_code, e.body.display_message], [500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', null]);
    await plaid.itemGet({ access_token: item.accessToken });
    fake.fail500(1, '/institutions/get_by_id');
    fake.rateLimit(1, '/institutions/get_by_id');
    const req = { institution_id: 'ins_109508', country_codes: ['US'] as never };
    assert.equal((await plaidFailure(plaid.institutionsGetById(req))).status, 500);
    assert.equal((await plaidFailure(plaid.institutionsGetById(req))).body.error_code, 'INSTITUTIONS_GET_BY_ID_LIMIT');
    assert.equal((await plaid.institutionsGetById(req)).data.institution.name, 'First Platypus Bank');
  });
});

describe('ITEM_LOGIN_REQUIRED', () => {
  test('data endpoints fail, /item/get reports it, a webhook says so, and update mode repairs it', async () => {
    const item = fake.connect({ institutionId: 'ins_109508', webhook: receiver.url, products: ['transactions', 'investments', 'liabilities'], history: { count: 30 } });
    const first = await syncAll(plaid, item.accessToken);
    const delivery = await item.requireLogin();
    assert.equal(delivery?.status, 200);
    assert.deepEqual(receiver.received.at(-1)!.body.error, { ...delivery!.body.error as object });
    assert.equal((receiver.received.at(-1)!.body.error as { error_code: string }).error_code, 'ITEM_LOGIN_REQUIRED');

    const token = { access_token: item.accessToken };
    for (const call of [plaid.transactionsSync({ ...token, cursor: first.cursor }), plaid.accountsGet(token), plaid.accountsBalanceGet(token), plaid.investmentsHoldingsGet(token), plaid.liabilitiesGet(token)]) {
      const e = await plaidFailure(call);
      assert.deepEqual([e.status, e.body.error_type, e.body.error_code], [400, 'ITEM_ERROR', 'ITEM_LOGIN_REQUIRED']);
      assert.equal(e.body.status, undefined, 'status is only part of webhook errors');
    }
    assert.equal((await plaid.itemGet(token)).data.item.error?.error_code, 'ITEM_LOGIN_REQUIRED');

    item.addTransactions([{ amount: 5, merchant: 'Starbucks' }]);
    const link = await plaid.linkTokenCreate({ client_name: 'mff', language: 'en', country_codes: ['US'] as never, user: { client_user_id: 'u1' }, access_token: item.accessToken });
    fake.completeLink(link.data.link_token);
    await fake.webhooks.settled();
    assert.equal(receiver.received.at(-1)!.body.webhook_code, 'LOGIN_REPAIRED');
    assert.equal((await plaid.itemGet(token)).data.item.error, null);
    const resumed = await syncAll(plaid, item.accessToken, first.cursor);
    assert.equal(resumed.added.length, 1, 'the saved cursor still works after the repair');
  });

  test('/sandbox/item/reset_login does the same as the control API', async () => {
    const item = fake.connect({ institutionId: 'ins_mff_basic', history: { count: 3 } });
    assert.equal((await plaid.sandboxItemResetLogin({ access_token: item.accessToken })).data.reset_login, true);
    assert.equal((await plaidFailure(plaid.accountsGet({ access_token: item.accessToken }))).body.error_code, 'ITEM_LOGIN_REQUIRED');
  });

  test('a revoked permission blocks data too', async () => {
    const item = fake.connect({ institutionId: 'ins_mff_basic', history: { count: 3 } });
    await item.revokePermission();
    assert.equal((await plaidFailure(plaid.transactionsSync({ access_token: item.accessToken }))).body.error_code, 'USER_PERMISSION_REVOKED');
  });
});

describe('credentials', () => {
  const bare = () => new PlaidApi(new Configuration({ basePath: fake.url }));

  test('accepted in headers or in the body; wrong or missing ones refused', async () => {
    const req = { institution_id: 'ins_109508', country_codes: ['US'] as never };
    assert.equal((await bare().institutionsGetById({ ...req, client_id: fake.clientId, secret: fake.secret })).status, 200);
    const missing = await plaidFailure(bare().institutionsGetById(req));
    assert.deepEqual([missing.status, missing.body.error_type, missing.body.error_code], [400, 'INVALID_REQUEST', 'MISSING_FIELDS']);
    const wrong = new PlaidApi(new Configuration({ basePath: fake.url, baseOptions: { headers: { 'PLAID-CLIENT-ID': fake.clientId, 'PLAID-SECRET': 'nope' } } }));
    const bad = await plaidFailure(wrong.institutionsGetById(req));
    assert.deepEqual([bad.status, bad.body.error_type, bad.body.error_code], [400, 'INVALID_INPUT', 'INVALID_API_KEYS']);
  });

  test('unknown routes, unknown fields and missing fields', async () => {
    const res = await fetch(`${fake.url}/transactions/get_all`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error_code: string }).error_code, 'NOT_FOUND');
    const garbage = await fetch(`${fake.url}/item/get`, { method: 'POST', body: 'nope', headers: { 'PLAID-CLIENT-ID': fake.clientId, 'PLAID-SECRET': fake.secret } });
    assert.equal(((await garbage.json()) as { error_code: string }).error_code, 'INVALID_BODY');
    const unknown = await plaidFailure(plaid.itemGet({ access_token: 'x', acess_token: 'typo' } as never));
    assert.match(String(unknown.body.error_message), /acess_token/);
    const missing = await plaidFailure(plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109508' } as never));
    assert.match(String(missing.body.error_message), /initial_products/);
  });
});

describe('Link and item lifecycle', () => {
  test('link token → Link → one-time public token → access token; a removed item is gone', async () => {
    const link = await plaid.linkTokenCreate({ client_name: 'mff', language: 'en', country_codes: ['US'] as never, user: { client_user_id: 'u2' }, products: ['transactions'] as Products[], webhook: receiver.url });
    assert.match(link.data.link_token, /^link-sandbox-/);
    const publicToken = fake.completeLink(link.data.link_token, { institutionId: 'ins_mff_demo', history: { count: 40 } });
    assert.throws(() => fake.completeLink(link.data.link_token), /INVALID_LINK_TOKEN/, 'a link token serves one Link session');
    const { access_token: accessToken, item_id: itemId } = (await plaid.itemPublicTokenExchange({ public_token: publicToken })).data;
    assert.match(accessToken, /^access-sandbox-/);
    const again = await plaidFailure(plaid.itemPublicTokenExchange({ public_token: publicToken }));
    assert.equal(again.body.error_code, 'INVALID_PUBLIC_TOKEN');
    const got = (await plaid.itemGet({ access_token: accessToken })).data.item;
    assert.deepEqual([got.item_id, got.institution_id, got.webhook, got.products], [itemId, 'ins_mff_demo', receiver.url, ['transactions']]);
    assert.equal((await syncAll(plaid, accessToken)).added.length, 40);

    await plaid.itemRemove({ access_token: accessToken });
    const gone = await plaidFailure(plaid.accountsGet({ access_token: accessToken }));
    assert.equal(gone.body.error_code, 'ITEM_NOT_FOUND');
  });

  test('the demo bank page can finish Link over HTTP', async () => {
    const link = await plaid.linkTokenCreate({ client_name: 'mff', language: 'en', country_codes: ['US'] as never, user: { client_user_id: 'u3' }, products: ['transactions'] as Products[] });
    const res = await fetch(`${fake.url}/__fake/link/complete`, { method: 'POST', body: JSON.stringify({ link_token: link.data.link_token, institution_id: 'ins_mff_demo' }) });
    const { public_token } = (await res.json()) as { public_token: string };
    const item = (await plaid.itemPublicTokenExchange({ public_token })).data;
    assert.equal((await plaid.itemGet({ access_token: item.access_token })).data.item.institution_name, 'Cascade Demo Bank');
  });

  test('banks without investments or liabilities say so the way Plaid does', async () => {
    const basic = fake.connect({ institutionId: 'ins_mff_basic', history: { count: 1 } });
    assert.equal((await plaidFailure(plaid.investmentsHoldingsGet({ access_token: basic.accessToken }))).body.error_code, 'PRODUCTS_NOT_SUPPORTED');
    assert.equal((await plaidFailure(plaid.liabilitiesGet({ access_token: basic.accessToken }))).body.error_code, 'PRODUCTS_NOT_SUPPORTED');
  });

  test('with autoWebhooks, the first exchange and every change announce SYNC_UPDATES_AVAILABLE', async () => {
    const { fake: auto, plaid: client } = await startFake({ autoWebhooks: true });
    try {
      const publicToken = auto.link({ institutionId: 'ins_mff_basic', webhook: receiver.url, history: { count: 3 } });
      const { item_id: itemId, access_token: accessToken } = (await client.itemPublicTokenExchange({ public_token: publicToken })).data;
      auto.item(accessToken).addTransactions([{ amount: 1 }]);
      auto.item(accessToken).remove(auto.item(accessToken).transactions()[0]!.transaction_id as string);
      await auto.webhooks.settled();
      const mine = receiver.received.filter((r) => r.body.item_id === itemId).map((r) => r.body.webhook_code);
      assert.deepEqual(mine, ['SYNC_UPDATES_AVAILABLE', 'SYNC_UPDATES_AVAILABLE', 'SYNC_UPDATES_AVAILABLE']);
    } finally {
      await auto.close();
    }
  });
});
