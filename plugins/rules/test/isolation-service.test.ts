// Household isolation on every rules endpoint (another household's ids are simply not found), and
// the `rules` service the ledger calls for new and modified transactions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { createRule, previewAndApply } from './helpers.ts';
import { insertTxn, seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
});
after(() => t?.close());

describe('household isolation', () => {
  let alice: TestSession;
  let bob: TestSession;
  let ruleId: string;
  let runId: string;
  let txnId: string;

  before(async () => {
    alice = await t.signUp();
    bob = await t.signUp();
    const fa = await seedLedger(t, alice.householdId);
    await seedLedger(t, bob.householdId);
    txnId = await insertTxn(t, alice.householdId, { accountId: fa.checking, payee: 'Secret Shop' });
    const rule = await createRule(alice, { name: 'alice only', conditions: [{ field: 'payee', op: 'contains', value: 'secret' }], actions: [{ type: 'add_tag', value: 'x' }] });
    ruleId = rule.id;
    runId = (await previewAndApply(t, alice)).run.id;
    await bob.get('/p/rules/');
  });

  test('every API route answers 404 for another household\'s rule, run or transaction', async () => {
    const body = { name: 'stolen', conditions: [{ field: 'payee', op: 'contains', value: 'a' }], actions: [{ type: 'exclude' }] };
    const calls: [string, string, unknown?][] = [
      ['GET', `/api/v1/rules/${ruleId}`],
      ['PUT', `/api/v1/rules/${ruleId}`, body],
      ['PATCH', `/api/v1/rules/${ruleId}`, { enabled: false }],
      ['DELETE', `/api/v1/rules/${ruleId}`],
      ['POST', `/api/v1/rules/${ruleId}/move`, { direction: 'up' }],
      ['POST', '/api/v1/rules/reorder', { stage: 'default', ids: [ruleId] }],
      ['POST', '/api/v1/rules/test', { transactionId: txnId }],
      ['POST', '/api/v1/rules/preview', { ruleIds: [ruleId] }],
      ['POST', '/api/v1/rules/apply', { ruleIds: [ruleId] }],
      ['GET', `/api/v1/rules/runs/${runId}`],
    ];
    for (const [method, path, b] of calls) {
      const res = await bob.api(method, path, b);
      assert.equal(res.status, 404, `${method} ${path}: ${res.status} ${res.text}`);
    }
    assert.deepEqual((await bob.api('GET', '/api/v1/rules')).json().rules, []);
    const preview = (await bob.api('POST', '/api/v1/rules/preview', {})).json();
    assert.equal(preview.scanned, 0, "bob's preview never sees alice's transactions");
  });

  test('every page answers 404 for another household\'s rule, run or transaction', async () => {
    for (const path of [`/p/rules/${ruleId}/edit`, `/p/rules/runs/${runId}`, `/p/rules/new?from=${txnId}`, `/p/rules/apply?rule=${ruleId}`]) {
      const res = await bob.get(path);
      assert.equal(res.status, 404, `GET ${path}: ${res.status}`);
    }
    for (const [path, fields] of [
      [`/p/rules/${ruleId}/edit`, { name: 'x', 'c0.kind': 'payee:contains', 'c0.value': 'a', 'a0.type': 'exclude', _op: 'save' }],
      [`/p/rules/${ruleId}/move`, { direction: 'up' }],
      [`/p/rules/${ruleId}/toggle`, { enabled: 'false' }],
      [`/p/rules/${ruleId}/delete`, {}],
      ['/p/rules/try', { transactionId: txnId }],
      ['/p/rules/apply', { rule: ruleId, previewed: '1' }],
    ] as const) {
      const res = await bob.form(path, fields as Record<string, string>);
      assert.equal(res.status, 404, `POST ${path}: ${res.status}`);
    }
    const list = await bob.get('/p/rules/');
    assert.doesNotMatch(list.text, /alice only/);
    // Alice's rule is untouched by all of that.
    const mine = (await alice.api('GET', `/api/v1/rules/${ruleId}`)).json();
    assert.equal(mine.name, 'alice only');
    assert.equal(mine.enabled, true);
  });
});

describe('the rules service (what the ledger calls for new and modified transactions)', () => {
  let s: TestSession;
  let f: Fixtures;
  const enrich = async (householdId: string, txns: unknown) => {
    const hosted = t.kernel.plugins.get('rules')!;
    const call = await t.kernel.plugins.bus.jobCall(hosted, householdId, null);
    return hosted.runtime!.service('rules', 'enrich', [txns], call) as Promise<{ id: string; change: Record<string, unknown>; fired: string[] }[]>;
  };
  const txn = (over: Record<string, unknown>) => ({
    id: crypto.randomUUID(), accountId: f.checking, date: '2024-06-01', amount: '-25.00', payee: 'Trader Joes #55', description: null, ...over,
  });

  before(async () => {
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
  });

  test('returns the changes for the transactions a rule fired on, never overriding a category the user chose', async () => {
    const rule = await createRule(s, {
      conditions: [{ field: 'payee', op: 'contains', value: 'trader joe' }],
      actions: [{ type: 'set_category', categoryId: f.groceries }, { type: 'rename_payee', value: "Trader Joe's" }],
    });
    const fresh = txn({});
    const handSet = txn({ categoryId: f.dining, categorySource: 'user' });
    const unrelated = txn({ payee: 'Bakery' });
    const out = await enrich(s.householdId, [fresh, handSet, unrelated]);
    assert.deepEqual(out, [
      { id: fresh.id, change: { categoryId: f.groceries, payee: "Trader Joe's" }, fired: [rule.id] },
      { id: handSet.id, change: { payee: "Trader Joe's" }, fired: [rule.id] },
    ]);
    const after = (await s.api('GET', `/api/v1/rules/${rule.id}`)).json();
    assert.equal(after.firedCount, 2);
    assert.ok(after.lastFiredAt);
  });

  test('refuses malformed input with a 400 naming the field, and answers [] for no rules or no transactions', async () => {
    await assert.rejects(enrich(s.householdId, [{ id: 'nope' }]), (err: Error & { status?: number }) => err.status === 400 && /transactions\.0\.id/.test(err.message));
    assert.deepEqual(await enrich(s.householdId, []), []);
    const other = await t.signUp();
    await seedLedger(t, other.householdId);
    assert.deepEqual(await enrich(other.householdId, [txn({})]), [], "another household's rules never run");
  });
});
