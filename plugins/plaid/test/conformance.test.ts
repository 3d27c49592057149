// Every endpoint of the fake, called through the official Plaid SDK, answers JSON that validates
// against Plaid's OpenAPI spec (the full spec from ../shared/specs when present, else the committed
// extract), and declares no property the spec does not know. Errors and webhook bodies too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PlaidApi, Products } from 'plaid';
import type { FakePlaid, ItemControl } from '../fake/index.ts';
import { ENDPOINTS } from '../fake/spec-endpoints.ts';
import { loadExtract, loadSpecSchemas } from '../fake/spec.ts';
import { WEBHOOK_SCHEMAS, type WebhookCode } from '../fake/webhook-payloads.ts';
import { startReceiver, type Receiver } from './support/receiver.ts';
import { plaidFailure, startFake } from './support/sdk.ts';
import { SpecValidator } from './support/spec-validator.ts';

// The full spec when this checkout has it; the committed extract always, so CI without the spec
// exercises the same checks.
const validator = new SpecValidator(loadSpecSchemas());
const validators = validator.spec.origin === 'spec' ? [validator, new SpecValidator(loadExtract())] : [validator];
const covered = new Set<string>();
let fake: FakePlaid;
let plaid: PlaidApi;
let receiver: Receiver;
let accessToken: string;
let item: ItemControl;

function conforms(path: string, data: unknown): void {
  conformsTo(validator.responseSchema(path), data);
  covered.add(path);
}

function conformsTo(schema: string, data: unknown): void {
  for (const v of validators) {
    const r = v.check(schema, data);
    assert.deepEqual(r.errors, [], `does not match ${schema} (${v.spec.origin})`);
    assert.deepEqual(r.undeclared, [], `has properties ${schema} does not declare (${v.spec.origin})`);
    assert.equal(r.valid, true);
  }
}

before(async () => {
  receiver = await startReceiver();
  ({ fake, plaid } = await startFake({ seed: 'conformance' }));
  const products = ['transactions', 'investments', 'liabilities'] as Products[];
  const created = await plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109508', initial_products: products, options: { webhook: receiver.url } });
  conforms('/sandbox/public_token/create', created.data);
  const exchanged = await plaid.itemPublicTokenExchange({ public_token: created.data.public_token });
  conforms('/item/public_token/exchange', exchanged.data);
  accessToken = exchanged.data.access_token;
  item = fake.item(accessToken);
});

after(async () => {
  await fake.close();
  await receiver.close();
});

describe('responses conform to the spec', () => {
  test('link token, new and update mode', async () => {
    const base = { client_name: 'mff', language: 'en', country_codes: ['US'] as never, user: { client_user_id: 'household-1' } };
    conforms('/link/token/create', (await plaid.linkTokenCreate({ ...base, products: ['transactions'] as Products[], webhook: receiver.url })).data);
    conforms('/link/token/create', (await plaid.linkTokenCreate({ ...base, access_token: accessToken })).data);
  });

  test('item and accounts', async () => {
    conforms('/item/get', (await plaid.itemGet({ access_token: accessToken })).data);
    const accounts = (await plaid.accountsGet({ access_token: accessToken })).data;
    assert.ok(accounts.accounts.length >= 5);
    conforms('/accounts/get', accounts);
    conforms('/accounts/balance/get', (await plaid.accountsBalanceGet({ access_token: accessToken })).data);
  });

  test('transactions sync pages with added, modified and removed, both PFC versions', async () => {
    const initial = await drain('', {});
    assert.ok(initial.added.length > 0);
    const [a, b] = initial.added as Array<{ transaction_id: string }>;
    const pending = item.addTransactions([{ amount: 12.5, merchant: 'Starbucks', pending: true }])[0]!;
    await drain(initial.cursor, {});
    item.modify(a!.transaction_id, { amount: 99.99, name: 'CORRECTED' });
    item.remove(b!.transaction_id);
    item.postPending(pending.transaction_id, { amount: 14.5 });
    const changes = await drain(initial.cursor, { personal_finance_category_version: 'v1', include_original_description: true });
    assert.ok(changes.added.length > 0 && changes.modified.length > 0 && changes.removed.length > 0);
  });

  test('investments and liabilities', async () => {
    const holdings = (await plaid.investmentsHoldingsGet({ access_token: accessToken })).data;
    assert.ok(holdings.holdings.length > 0 && holdings.securities.length > 0);
    conforms('/investments/holdings/get', holdings);
    const liabilities = (await plaid.liabilitiesGet({ access_token: accessToken })).data;
    assert.ok(liabilities.liabilities.credit?.length && liabilities.liabilities.mortgage?.length && liabilities.liabilities.student?.length);
    conforms('/liabilities/get', liabilities);
  });

  test('institution, with and without optional metadata and status', async () => {
    conforms('/institutions/get_by_id', (await plaid.institutionsGetById({ institution_id: 'ins_109508', country_codes: ['US'] as never })).data);
    const full = await plaid.institutionsGetById({ institution_id: 'ins_mff_demo', country_codes: ['US'] as never, options: { include_optional_metadata: true, include_status: true } });
    conforms('/institutions/get_by_id', full.data);
  });

  test('webhook verification key', async () => {
    const { data } = await plaid.webhookVerificationKeyGet({ key_id: fake.keys.current.kid });
    assert.equal(data.key.alg, 'ES256');
    conforms('/webhook_verification_key/get', data);
  });

  test('sandbox fire_webhook and reset_login; the errored item still conforms', async () => {
    conforms('/sandbox/item/fire_webhook', (await plaid.sandboxItemFireWebhook({ access_token: accessToken, webhook_code: 'SYNC_UPDATES_AVAILABLE' as never })).data);
    conforms('/sandbox/item/reset_login', (await plaid.sandboxItemResetLogin({ access_token: accessToken })).data);
    const got = (await plaid.itemGet({ access_token: accessToken })).data;
    assert.equal(got.item.error?.error_code, 'ITEM_LOGIN_REQUIRED');
    conforms('/item/get', got);
    await item.repairLogin();
  });

  test('item remove', async () => {
    const other = fake.connect({ institutionId: 'ins_mff_basic' });
    conforms('/item/remove', (await plaid.itemRemove({ access_token: other.accessToken })).data);
  });

  test('every endpoint the fake serves was checked', () => {
    assert.deepEqual([...covered].sort(), [...ENDPOINTS].sort());
  });
});

describe('errors conform to PlaidError', () => {
  test('auth, fields, item state, rate limit, server error, pagination mutation', async () => {
    const c = fake.connect({ institutionId: 'ins_109508', history: { count: 30 } });
    const calls: Array<[Promise<unknown>, number, string]> = [];
    calls.push([plaid.itemGet({ access_token: 'access-sandbox-nope' }), 400, 'INVALID_ACCESS_TOKEN']);
    calls.push([plaid.itemGet({ access_token: c.accessToken, extra: 1 } as never), 400, 'UNKNOWN_FIELDS']);
    calls.push([plaid.institutionsGetById({ institution_id: 'ins_nope', country_codes: ['US'] as never }), 400, 'INVALID_INSTITUTION']);
    calls.push([plaid.webhookVerificationKeyGet({ key_id: 'nope' }), 400, 'INVALID_WEBHOOK_VERIFICATION_KEY_ID']);
    for (const [call, status, code] of calls) {
      const e = await plaidFailure(call);
      assert.equal(e.status, status);
      assert.equal(e.body.error_code, code);
      conformsTo('PlaidError', e.body);
    }
    c.rateLimit(1);
    const limited = await plaidFailure(plaid.accountsGet({ access_token: c.accessToken }));
    assert.equal(limited.status, 429);
    conformsTo('PlaidError', limited.body);
    c.fail500(1);
    const failed = await plaidFailure(plaid.accountsGet({ access_token: c.accessToken }));
    assert.equal(failed.status, 500);
    conformsTo('PlaidError', failed.body);
    const page = (await plaid.transactionsSync({ access_token: c.accessToken, count: 10 })).data;
    c.mutateDuringPagination();
    const mutated = await plaidFailure(plaid.transactionsSync({ access_token: c.accessToken, cursor: page.next_cursor, count: 10 }));
    assert.equal(mutated.body.error_code, 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');
    conformsTo('PlaidError', mutated.body);
    await c.requireLogin();
    const login = await plaidFailure(plaid.transactionsSync({ access_token: c.accessToken }));
    assert.equal(login.body.error_code, 'ITEM_LOGIN_REQUIRED');
    conformsTo('PlaidError', login.body);
  });
});

describe('webhook bodies conform to their schemas', () => {
  test('every webhook the fake sends', async () => {
    const c = fake.connect({ institutionId: 'ins_109508', webhook: receiver.url, products: ['transactions', 'investments', 'liabilities'], history: { count: 10 } });
    const codes = Object.keys(WEBHOOK_SCHEMAS) as WebhookCode[];
    for (const code of codes) await c.fireWebhook(code);
    await c.requireLogin();
    await c.revokePermission();
    await c.pendingExpiration();
    await c.addAccount('savings');
    const mine = receiver.received.filter((r) => r.body.item_id === c.itemId);
    assert.equal(mine.length, codes.length + 4);
    for (const r of mine) {
      const code = (r.body.webhook_type === 'HOLDINGS' || r.body.webhook_type === 'LIABILITIES' ? `${r.body.webhook_type}_DEFAULT_UPDATE` : r.body.webhook_code) as WebhookCode;
      conformsTo(WEBHOOK_SCHEMAS[code], r.body);
    }
  });
});

/** Pages from `cursor` to the end, checking every page; returns everything seen and the final cursor. */
async function drain(cursor: string, options: Record<string, unknown>) {
  const all = { added: [] as unknown[], modified: [] as unknown[], removed: [] as unknown[], cursor };
  for (;;) {
    const { data } = await plaid.transactionsSync({ access_token: accessToken, cursor: all.cursor, count: 100, options });
    conforms('/transactions/sync', data);
    all.added.push(...data.added);
    all.modified.push(...data.modified);
    all.removed.push(...data.removed);
    all.cursor = data.next_cursor;
    if (!data.has_more) return all;
  }
}
