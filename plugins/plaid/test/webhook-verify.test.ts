// Webhook verification (plugins/plaid/webhook-verify.ts) against the fake's real signatures, with the
// key fetched through the official SDK: a good webhook is accepted and acted on once; forged,
// replayed, stale, tampered and wrongly signed ones are refused for the right reason.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { PlaidApi } from 'plaid';
import { postWebhook, replayOf, type FakePlaid, type ItemControl, type WebhookVariant } from '../fake/index.ts';
import { plaidKeyFetcher, PlaidWebhookVerifier, type KeyFetcher, type WebhookRejection } from '../webhook-verify.ts';
import { startReceiver, type Receiver } from './support/receiver.ts';
import { startFake } from './support/sdk.ts';

let fake: FakePlaid;
let plaid: PlaidApi;
let receiver: Receiver;
let verifier: PlaidWebhookVerifier;
let item: ItemControl;
let clock: () => number = Date.now;
const acted: unknown[] = [];
const refused: WebhookRejection[] = [];
const keyFetches = () => fake.requests.filter((r) => r.path === '/webhook_verification_key/get').length;

function newVerifier(fetchKey: KeyFetcher = plaidKeyFetcher(plaid)): PlaidWebhookVerifier {
  return new PlaidWebhookVerifier({ fetchKey, now: () => clock() });
}

before(async () => {
  ({ fake, plaid } = await startFake({ seed: 'webhooks' }));
  // The receiving end as the plugin will have it: verify, then act; 200 either way is not Plaid's
  // business, but refusals answer 401 so the tests can tell.
  receiver = await startReceiver(async (r) => {
    const header = r.headers['plaid-verification'];
    const result = await verifier.verify(r.rawBody, Array.isArray(header) ? header[0] : header);
    if (!result.ok) {
      refused.push(result.reason);
      return 401;
    }
    acted.push(result.body);
    return 200;
  });
  item = fake.connect({ institutionId: 'ins_109508', webhook: receiver.url, history: { count: 5 } });
});
after(async () => {
  await fake.close();
  await receiver.close();
});
beforeEach(() => {
  verifier = newVerifier();
  clock = Date.now;
  acted.length = 0;
  refused.length = 0;
});

describe('webhooks the fake sends', () => {
  test('are accepted and acted on once; the same request again is a replay', async () => {
    const delivery = await item.notify();
    assert.equal(delivery?.status, 200);
    assert.deepEqual(acted, [delivery!.body]);
    assert.equal(await postWebhook(receiver.url, replayOf(delivery!)), 401);
    assert.deepEqual(refused, ['replay']);
    assert.equal(acted.length, 1);
  });

  test('carry Plaid\'s header and payload: kid in an ES256 header, {iat, request_body_sha256}', async () => {
    const d = (await item.fireWebhook('NEW_ACCOUNTS_AVAILABLE'))!;
    const [h, p] = d.jwt.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s!, 'base64url').toString()) as Record<string, unknown>);
    assert.deepEqual(h, { alg: 'ES256', kid: fake.keys.current.kid, typ: 'JWT' });
    assert.deepEqual(Object.keys(p!).sort(), ['iat', 'request_body_sha256']);
    assert.ok(d.rawBody.includes('\n  "webhook_code"'), 'bodies are pretty-printed like Plaid\'s');
  });

  test('a verifier that re-serializes the body instead of hashing the raw bytes is refused', async () => {
    const d = (await item.notify())!;
    const result = await newVerifier().verify(JSON.stringify(d.body), d.jwt);
    assert.deepEqual(result, { ok: false, reason: 'body-mismatch' });
  });
});

describe('requests a verifier must refuse', () => {
  const cases: Array<[WebhookVariant, WebhookRejection]> = [
    ['wrong-key', 'bad-signature'],
    ['unknown-kid', 'unknown-key'],
    ['stale', 'stale'],
    ['future', 'stale'],
    ['tampered-body', 'body-mismatch'],
    ['no-body-hash', 'malformed'],
    ['alg-hs256', 'algorithm'],
    ['alg-none', 'algorithm'],
    ['expired-key', 'expired-key'],
    ['no-kid', 'malformed'],
    ['missing-header', 'missing-signature'],
  ];
  for (const [variant, reason] of cases) {
    test(`${variant} → ${reason}`, async () => {
      const body = { webhook_type: 'TRANSACTIONS', webhook_code: 'SYNC_UPDATES_AVAILABLE', item_id: item.itemId, initial_update_complete: true, historical_update_complete: true, environment: 'sandbox' };
      assert.equal(await postWebhook(receiver.url, await fake.webhookRequest(body, variant)), 401);
      assert.deepEqual(refused, [reason]);
      assert.deepEqual(acted, []);
      // A refusal does not burn anything: the genuine webhook still goes through afterwards.
      assert.equal(await postWebhook(receiver.url, await fake.webhookRequest(body, 'valid')), 200);
      assert.equal(acted.length, 1);
    });
  }
});

describe('freshness and keys', () => {
  test('iat may be up to five minutes old, not more', async () => {
    const req = await fake.webhookRequest({ webhook_code: 'X' });
    const jwt = req.headers['plaid-verification']!;
    const iat = (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { iat: number }).iat;
    clock = () => (iat + 301) * 1000;
    assert.deepEqual(await verifier.verify(req.rawBody, jwt), { ok: false, reason: 'stale' });
    clock = () => (iat + 300) * 1000;
    assert.equal((await verifier.verify(req.rawBody, jwt)).ok, true);
  });

  test('keys are fetched once and cached; unknown kids are remembered; fetch failures are not', async () => {
    const before = keyFetches();
    for (let i = 0; i < 3; i++) assert.equal((await verifier.verify(...(await signed()))).ok, true);
    assert.equal(keyFetches() - before, 1);

    const forged = await fake.webhookRequest({ webhook_code: 'X' }, 'unknown-kid');
    for (let i = 0; i < 3; i++) assert.deepEqual(await verifier.verify(forged.rawBody, forged.headers['plaid-verification']), { ok: false, reason: 'unknown-key' });
    assert.equal(keyFetches() - before, 2);

    const fresh = newVerifier();
    fake.fail500(1, '/webhook_verification_key/get');
    assert.deepEqual(await fresh.verify(...(await signed())), { ok: false, reason: 'key-unavailable' });
    assert.equal((await fresh.verify(...(await signed()))).ok, true, 'the next webhook fetches the key again');
  });

  test('a flood of forged kids spends a bounded number of key fetches', async () => {
    const v = new PlaidWebhookVerifier({ fetchKey: plaidKeyFetcher(plaid), maxKeyFetchesPerMinute: 2 });
    const before = keyFetches();
    const reasons = [];
    for (let i = 0; i < 4; i++) {
      const forged = await fake.webhookRequest({ webhook_code: 'X' }, 'unknown-kid');
      reasons.push((await v.verify(forged.rawBody, forged.headers['plaid-verification'])) as { reason: string });
    }
    assert.deepEqual(reasons.map((r) => r.reason), ['unknown-key', 'unknown-key', 'key-unavailable', 'key-unavailable']);
    assert.equal(keyFetches() - before, 2);
  });

  test('after a key rotation new webhooks verify, and the old key is refused once Plaid reports it expired', async () => {
    const old = await signed();
    const before = keyFetches();
    await fake.keys.rotate(Math.floor(Date.now() / 1000));
    assert.equal((await verifier.verify(...(await signed()))).ok, true);
    assert.equal(keyFetches() - before, 1, 'the new kid was fetched');
    assert.deepEqual(await verifier.verify(...old), { ok: false, reason: 'expired-key' });
  });

  test('only ES256 keys are used, whatever the key endpoint returns', async () => {
    const real = plaidKeyFetcher(plaid);
    const v = newVerifier(async (kid) => ({ ...(await real(kid))!, alg: 'RS256' }));
    assert.deepEqual(await v.verify(...(await signed())), { ok: false, reason: 'algorithm' });
  });
});

async function signed(): Promise<[string, string]> {
  const req = await fake.webhookRequest({ webhook_type: 'ITEM', webhook_code: 'NEW_ACCOUNTS_AVAILABLE', item_id: item.itemId, nonce: Math.random() });
  return [req.rawBody, req.headers['plaid-verification']!];
}
