// Idempotency keys expire after 24 hours (plugin-sdk/idempotency.ts), through the ledger's real API:
// a younger key still replays its first answer; an older one runs again (whatever the body, and
// once under concurrent retries); storing a new key deletes the household's expired keys, not its
// live ones nor another household's, and at most EXPIRED_KEYS_DELETED_PER_STORE at a time.
// Keys are aged as the database owner, whom row-level security does not bind here.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXPIRED_KEYS_DELETED_PER_STORE, IDEMPOTENCY_KEY_TTL_HOURS } from '../../../plugin-sdk/idempotency.ts';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';

const A = '/api/v1/ledger';

describe('Idempotency-Key expiry', () => {
  let t: TestKernel;
  const withKey = (s: TestSession, path: string, body: unknown, key: string) =>
    s.client.api('POST', path, body, { headers: { 'x-csrf-token': s.client.csrf, 'idempotency-key': key } });
  const createAccount = (s: TestSession, key: string, name = 'Savings') =>
    withKey(s, `${A}/accounts`, { name, type: 'depository', currency: 'EUR' }, key);
  const accountCount = async (s: TestSession) => (await s.api('GET', `${A}/accounts?limit=200`)).json().items.length as number;
  /** Makes the household's keys `hours` old (all of them, or those named). */
  const age = (s: TestSession, hours: number, keys?: string[]) => t.kernel.db.admin`
    update ledger.idempotency_keys set created_at = now() - make_interval(hours => ${hours})
    where household_id = ${s.householdId} and (${keys === undefined} or key = any(${keys ?? []}::text[]))`;
  const keysOf = async (s: TestSession) =>
    (await t.kernel.db.admin`select key from ledger.idempotency_keys where household_id = ${s.householdId} order by key`).map((r) => r.key as string);

  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url) }] });
  });
  after(() => t?.close());

  test('a key younger than 24 hours still answers its first result, once', async () => {
    assert.equal(IDEMPOTENCY_KEY_TTL_HOURS, 24);
    const s = await t.signUp();
    const first = await createAccount(s, 'young');
    assert.equal(first.status, 201, first.text);
    await age(s, IDEMPOTENCY_KEY_TTL_HOURS - 1);
    const again = await createAccount(s, 'young');
    assert.equal(again.status, 201, again.text);
    assert.deepEqual(again.json(), first.json());
    assert.equal(await accountCount(s), 1);
    assert.equal((await createAccount(s, 'young', 'Other')).status, 422, 'another body with a live key is still refused');
  });

  test('a key older than 24 hours runs again, whatever the body, and keeps the new answer', async () => {
    const s = await t.signUp();
    const first = await createAccount(s, 'old');
    await age(s, IDEMPOTENCY_KEY_TTL_HOURS + 1);
    const second = await createAccount(s, 'old');
    assert.equal(second.status, 201, second.text);
    assert.notEqual(second.json().id, first.json().id, 'a second account');
    assert.equal(await accountCount(s), 2);
    assert.deepEqual((await createAccount(s, 'old')).json(), second.json(), 'the key now replays the new answer');

    await age(s, IDEMPOTENCY_KEY_TTL_HOURS + 1);
    const other = await createAccount(s, 'old', 'Checking');
    assert.equal(other.status, 201, other.text);
    assert.equal(other.json().name, 'Checking', 'another body is no clash once the key expired');
    assert.equal(await accountCount(s), 3);
  });

  test('concurrent retries with one expired key create one object', async () => {
    const s = await t.signUp();
    await createAccount(s, 'race');
    await age(s, IDEMPOTENCY_KEY_TTL_HOURS + 1);
    const answers = await Promise.all(Array.from({ length: 4 }, () => createAccount(s, 'race')));
    for (const r of answers) assert.equal(r.status, 201, r.text);
    assert.equal(new Set(answers.map((r) => r.json().id)).size, 1, 'every retry answers the same account');
    assert.equal(await accountCount(s), 2);
  });

  test("storing a new key deletes the household's expired keys, not live ones nor another household's", async () => {
    const alice = await t.signUp();
    const bob = await t.signUp();
    for (const key of ['expired-1', 'expired-2', 'live']) await createAccount(alice, key, key);
    await createAccount(bob, 'expired-bob');
    await age(alice, IDEMPOTENCY_KEY_TTL_HOURS + 1, ['expired-1', 'expired-2']);
    await age(alice, IDEMPOTENCY_KEY_TTL_HOURS - 1, ['live']);
    await age(bob, IDEMPOTENCY_KEY_TTL_HOURS + 1);

    // A replay stores nothing, so it deletes nothing.
    await createAccount(alice, 'live', 'live');
    assert.deepEqual(await keysOf(alice), ['expired-1', 'expired-2', 'live']);

    assert.equal((await createAccount(alice, 'new')).status, 201);
    assert.deepEqual(await keysOf(alice), ['live', 'new']);
    assert.deepEqual(await keysOf(bob), ['expired-bob'], "bob's expired key waits for bob's next store");
    assert.equal((await createAccount(bob, 'another')).status, 201);
    assert.deepEqual(await keysOf(bob), ['another']);
  });

  test(`one store deletes at most ${EXPIRED_KEYS_DELETED_PER_STORE} expired keys, the oldest first`, async () => {
    const s = await t.signUp();
    const sql = t.kernel.db.admin;
    const extra = 30;
    const n = EXPIRED_KEYS_DELETED_PER_STORE + extra;
    // Expired keys k0000 (the oldest) .. k0129, a minute apart.
    await sql`insert into ledger.idempotency_keys (household_id, route, key, request_hash, response, created_at)
      select ${s.householdId}::uuid, 'accounts.create', 'k' || lpad(i::text, 4, '0'), 'x', '{}',
        now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS + 1}) - (${n} - i) * interval '1 minute'
      from generate_series(0, ${n - 1}) i`;
    assert.equal((await createAccount(s, 'first')).status, 201);
    const newest = Array.from({ length: extra }, (_, i) => `k${String(EXPIRED_KEYS_DELETED_PER_STORE + i).padStart(4, '0')}`);
    assert.deepEqual(await keysOf(s), ['first', ...newest], 'the oldest went first');
    assert.equal((await createAccount(s, 'second')).status, 201);
    assert.deepEqual(await keysOf(s), ['first', 'second']);
  });
});
