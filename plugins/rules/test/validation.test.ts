// What the API review found, through the real paths: a catastrophic pattern cannot freeze the
// server, impossible dates and ids the household does not have are refused when a rule is saved
// (API and form), a stored pattern that cannot run does not break the ledger, and add_tag never
// pushes a transaction past the ledger's 50 tags.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { createRule } from './helpers.ts';
import { seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
let s: TestSession;
let f: Fixtures;

before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
  s = await t.signUp();
  f = await seedLedger(t, s.householdId);
});
after(() => t?.close());

const NOWHERE = '0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f';
const refused = async (method: string, path: string, body: unknown, message: RegExp) => {
  const res = await s.api(method, path, body);
  assert.equal(res.status, 400, res.text);
  assert.match(res.json().detail ?? res.text, message);
};
const rule = (over: Record<string, unknown>) => ({
  name: 'r', conditions: [{ field: 'payee', op: 'contains', value: 'x' }], actions: [{ type: 'exclude' }], ...over,
});

describe('regular expressions', () => {
  test('a catastrophic pattern is accepted and runs in linear time: the test box answers at once', { timeout: 20_000 }, async () => {
    const r = await createRule(s, { conditions: [{ field: 'payee', op: 'matches', value: '^(a+)+$' }], actions: [{ type: 'add_tag', value: 'aaa' }] });
    // ~2^40 steps when backtracking; the timeout is only a backstop.
    const res = await s.api('POST', '/api/v1/rules/test', { transaction: { payee: `${'a'.repeat(40)}!`, amount: '-1.00', date: '2026-01-01' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json().fired, []);
    const hit = await s.api('POST', '/api/v1/rules/test', { transaction: { payee: 'AAAA', amount: '-1.00', date: '2026-01-01' } });
    assert.deepEqual(hit.json().fired.map((x: { id: string }) => x.id), [r.id]);
    assert.equal((await s.api('DELETE', `/api/v1/rules/${r.id}`)).status, 204);
  });

  test('a pattern the linear engine cannot run is refused, naming the condition', async () => {
    await refused('POST', '/api/v1/rules', rule({ conditions: [{ field: 'payee', op: 'contains', value: 'x' }, { field: 'payee', op: 'matches', value: '(a)\\1' }] }),
      /conditions\[1\] \(payee matches\): cannot be run in linear time \(no backreferences or lookaround\)/);
    await refused('POST', '/api/v1/rules', rule({ conditions: [{ field: 'notes', op: 'matches', value: 'gift(?= card)' }] }),
      /conditions\[0\] \(notes matches\): cannot be run in linear time \(no backreferences or lookaround\)/);
  });

  test('a stored pattern that cannot run (saved before the check) leaves its rule out; the others and the ledger go on', async () => {
    const account = await s.api('POST', '/api/v1/ledger/accounts', { name: 'Wallet', type: 'depository', currency: 'EUR' });
    assert.equal(account.status, 201, account.text);
    const good = await createRule(s, { conditions: [{ field: 'payee', op: 'matches', value: '^bakery' }], actions: [{ type: 'add_tag', value: 'bread' }] });
    const old = await createRule(s, { conditions: [{ field: 'payee', op: 'contains', value: 'bakery' }], actions: [{ type: 'add_tag', value: 'old' }] });
    await t.asHousehold(s.householdId, (tx) => tx`update rules.rules set conditions = ${JSON.stringify([{ field: 'payee', op: 'matches', value: '(b)\\1' }])}::text::jsonb
      where id = ${old.id}`);
    const created = await s.api('POST', '/api/v1/ledger/transactions', { accountId: account.json().id, date: '2026-11-01', amount: '-3.00', payee: 'Bakery bb' });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json().tags, ['bread']);
    const list = await s.get('/p/rules/');
    assert.match(list.text, /a pattern cannot run safely, so the rule never runs: edit it/);
    for (const id of [good.id, old.id]) assert.equal((await s.api('DELETE', `/api/v1/rules/${id}`)).status, 204);
  });
});

describe('dates', () => {
  test('an impossible calendar date, or from after to, is refused naming the condition', async () => {
    await refused('POST', '/api/v1/rules', rule({ conditions: [{ field: 'date', op: 'between', value: '2026-02-31', max: '2026-99-99' }] }),
      /conditions\[0\] \(date between\): 2026-02-31 is not a calendar date/);
    await refused('POST', '/api/v1/rules', rule({ conditions: [{ field: 'date', op: 'between', value: '2026-03-01', max: '2026-02-01' }] }),
      /conditions\[0\] \(date between\): max must not be before value/);
  });
});

describe('accounts and categories a rule names', () => {
  let otherCategory: string;
  before(async () => {
    const other = await t.signUp();
    otherCategory = (await seedLedger(t, other.householdId)).groceries;
  });

  test('must exist in the household: refused on create, replace and patch', async () => {
    const category = (id: string) => rule({ actions: [{ type: 'set_category', categoryId: id }] });
    await refused('POST', '/api/v1/rules', category(NOWHERE), /actions\[0\] \(set_category\): no such category/);
    await refused('POST', '/api/v1/rules', category(otherCategory), /actions\[0\] \(set_category\): no such category/);
    await refused('POST', '/api/v1/rules', rule({ conditions: [{ field: 'account', op: 'is', value: [f.checking, NOWHERE] }] }),
      new RegExp(`conditions\\[0\\] \\(account is\\): no such account \\(${NOWHERE}\\)`));
    await refused('POST', '/api/v1/rules', rule({ conditions: [{ field: 'category', op: 'is', value: [otherCategory] }] }),
      /conditions\[0\] \(category is\): no such category/);

    const ok = await createRule(s, { conditions: [{ field: 'account', op: 'is_not', value: [f.card] }], actions: [{ type: 'set_category', categoryId: f.dining }] });
    await refused('PUT', `/api/v1/rules/${ok.id}`, category(NOWHERE), /actions\[0\] \(set_category\): no such category/);
    await refused('PATCH', `/api/v1/rules/${ok.id}`, { actions: [{ type: 'exclude' }, { type: 'set_category', categoryId: otherCategory }] },
      /actions\[1\] \(set_category\): no such category/);
    assert.equal((await s.api('GET', `/api/v1/rules/${ok.id}`)).json().actions[0].categoryId, f.dining, 'unchanged');
    assert.equal((await s.api('DELETE', `/api/v1/rules/${ok.id}`)).status, 204);
  });

  test('the form shows the message on the action (422 without JS)', async () => {
    await s.get('/p/rules/'); // the CSRF token
    const res = await s.client.request('POST', '/p/rules/new', {
      body: new URLSearchParams([['name', 'Stale'], ['c0.kind', 'payee:contains'], ['c0.value', 'x'], ['a0.type', 'set_category'], ['a0.categoryId', NOWHERE],
        ['_op', 'save'], ['_csrf', s.client.csrf]]),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 422);
    assert.match(res.text, /Action 1: no such category/);
    assert.equal((await s.api('GET', '/api/v1/rules')).json().rules.filter((r: { name: string }) => r.name === 'Stale').length, 0);
  });
});

describe('tags', () => {
  test('a manual transaction with the maximum 50 tags is created, and add_tag skips the full list', async () => {
    const account = await s.api('POST', '/api/v1/ledger/accounts', { name: 'Card', type: 'depository', currency: 'EUR' });
    const r = await createRule(s, { conditions: [{ field: 'payee', op: 'contains', value: 'coffee' }],
      actions: [{ type: 'add_tag', value: 'coffee' }, { type: 'set_category', categoryId: f.dining }] });
    const tags = Array.from({ length: 50 }, (_, i) => `t${i}`);
    const res = await s.api('POST', '/api/v1/ledger/transactions', { accountId: account.json().id, date: '2026-11-02', amount: '-4.00', payee: 'Coffee Bean', tags });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json().tags, tags);
    assert.equal(res.json().categoryId, f.dining, 'the rule\'s other actions still apply');
    assert.equal((await s.api('DELETE', `/api/v1/rules/${r.id}`)).status, 204);
  });
});
