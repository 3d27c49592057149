// Idempotency-Key on the creates of budgets and rules (plugin-sdk/idempotency.ts): a retry with the
// same key and body answers the first result and creates nothing; another body with that key is a
// 422; keys are per household; the OpenAPI document names the header on those routes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
let s: TestSession;
let f: Fixtures;
before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url, '../../rules') }, { dir: pluginDir(import.meta.url) }] });
  s = await t.signUp();
  f = await seedLedger(t, s.householdId);
});
after(() => t?.close());

const withKey = (who: TestSession, path: string, body: unknown, key: string) =>
  who.client.api('POST', path, body, { headers: { 'x-csrf-token': who.client.csrf, 'idempotency-key': key } });

test('a budget or a rule created twice with one Idempotency-Key exists once; another body with the key is refused', async () => {
  const cases: [string, object, object, () => Promise<number>][] = [
    ['/api/v1/budgets', { categoryId: f.groceries, amount: '100', periodType: 'monthly', year: 2026, month: 1 }, { categoryId: f.groceries, amount: '999', periodType: 'monthly', year: 2026, month: 1 },
      async () => (await s.api('GET', '/api/v1/budgets')).json().budgets.length],
    ['/api/v1/rules', { name: 'Coffee', conditions: [{ field: 'payee', op: 'contains', value: 'bean' }], actions: [{ type: 'add_tag', value: 'coffee' }] },
      { name: 'Tea', conditions: [{ field: 'payee', op: 'contains', value: 'leaf' }], actions: [{ type: 'add_tag', value: 'tea' }] },
      async () => (await s.api('GET', '/api/v1/rules')).json().rules.length],
  ];
  for (const [path, body, other, count] of cases) {
    const before = await count();
    const first = await withKey(s, path, body, `retry-${path}`);
    assert.equal(first.status, 201, first.text);
    const again = await withKey(s, path, body, `retry-${path}`);
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json().id, first.json().id, `${path}: the retry answers the first result`);
    assert.equal(await count(), before + 1, `${path}: created once`);
    const clash = await withKey(s, path, other, `retry-${path}`);
    assert.equal(clash.status, 422, clash.text);
    const fresh = await withKey(s, path, body, `another-${path}`);
    assert.notEqual(fresh.json().id, first.json().id, `${path}: a new key creates anew`);
  }
  // Keys belong to a household: the same key elsewhere creates there.
  const other = await t.signUp();
  const g = await seedLedger(t, other.householdId);
  const theirs = await withKey(other, '/api/v1/budgets', { categoryId: g.groceries, amount: '100', periodType: 'monthly', year: 2026, month: 1 }, 'retry-/api/v1/budgets');
  assert.equal(theirs.status, 201, theirs.text);
});

test('the OpenAPI document names the Idempotency-Key header on the creates that honour it, and only there', async () => {
  const doc = (await s.api('GET', '/api/v1/openapi.json')).json();
  const header = (path: string, method: string) => (doc.paths[path]?.[method]?.parameters ?? []).some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'Idempotency-Key');
  for (const path of ['/api/v1/budgets', '/api/v1/rules', '/api/v1/ledger/transactions', '/api/v1/ledger/accounts', '/api/v1/ledger/categories']) assert.ok(header(path, 'post'), path);
  assert.equal(header('/api/v1/rules/reorder', 'post'), false);
  assert.equal(header('/api/v1/budgets', 'get'), false);
});
