// End to end with the ledger plugin: a source delivers a batch through ledger.sources, and the rules
// have already been applied when the batch's transaction commits (new and modified rows alike),
// never touching a category the user chose.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { createRule } from './helpers.ts';
import { seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
let s: TestSession;
let f: Fixtures;

const sources = async (method: string, ...args: unknown[]) => {
  const ledger = t.kernel.plugins.get('ledger')!;
  const call = await t.kernel.plugins.bus.jobCall(ledger, s.householdId, null);
  return ledger.runtime!.service('ledger.sources', method, args, call) as Promise<{ inserted: string[]; updated: string[] }>;
};
const row = async (externalId: string) => {
  const [r] = await t.asHousehold(s.householdId, (tx) => tx`select payee, category_id, category_source, tags, is_transfer
    from ledger.transactions where external_id = ${externalId}`);
  return r;
};

before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
  s = await t.signUp();
  f = await seedLedger(t, s.householdId);
});
after(() => t?.close());

describe('rules on transactions delivered through the ledger', () => {
  let account: string;
  const txn = (externalId: string, extra: Record<string, unknown> = {}) => ({
    accountId: account, externalId, date: '2024-07-01', amount: '-30.00', currency: 'EUR', payee: 'NETFLIX.COM 866-579', ...extra,
  });

  before(async () => {
    const ids = await sources('upsertAccounts', 'bank', [{ externalId: 'acc-1', name: 'Bank checking', type: 'depository', currency: 'EUR' }]) as unknown as Record<string, string>;
    account = ids['acc-1'];
    await createRule(s, { stage: 'pre', conditions: [{ field: 'payee', op: 'starts_with', value: 'netflix' }], actions: [{ type: 'rename_payee', value: 'Netflix' }] });
    await createRule(s, { conditions: [{ field: 'payee', op: 'equals', value: 'netflix' }], actions: [{ type: 'set_category', categoryId: f.dining }, { type: 'add_tag', value: 'subscription' }] });
    await createRule(s, { conditions: [{ field: 'description', op: 'contains', value: 'to savings' }], actions: [{ type: 'mark_transfer' }] });
  });

  test('new transactions arrive already renamed, categorized, tagged and flagged', async () => {
    const r = await sources('applyTransactionBatch', { source: 'bank', added: [txn('n1'), txn('s1', { payee: null, description: 'Move to savings', amount: '-200.00' }), txn('o1', { payee: 'Bakery' })] });
    assert.equal(r.inserted.length, 3);
    assert.deepEqual({ ...(await row('n1')) }, { payee: 'Netflix', category_id: f.dining, category_source: 'rule', tags: ['subscription'], is_transfer: false });
    assert.equal((await row('s1')).is_transfer, true);
    assert.deepEqual({ ...(await row('o1')) }, { payee: 'Bakery', category_id: null, category_source: null, tags: [], is_transfer: false });
  });

  test('a modified transaction is run through the rules again; a category the user set stays', async () => {
    await t.asHousehold(s.householdId, (tx) => tx`update ledger.transactions set category_id = ${f.groceries}, category_source = 'user' where external_id = 'n1'`);
    await sources('applyTransactionBatch', { source: 'bank', modified: [txn('n1', { amount: '-31.00' }), txn('o1', { payee: 'NETFLIX.COM gift' })] });
    const n1 = await row('n1');
    assert.equal(n1.payee, 'Netflix');
    assert.equal(n1.category_id, f.groceries);
    assert.equal(n1.category_source, 'user');
    const o1 = await row('o1');
    assert.equal(o1.payee, 'Netflix');
    assert.equal(o1.category_id, f.dining);
  });

  test('the rules count what they fired on as transactions arrive', async () => {
    const rules = (await s.api('GET', '/api/v1/rules')).json().rules as { stage: string; firedCount: number }[];
    assert.ok(rules.find((r) => r.stage === 'pre')!.firedCount >= 3);
  });
});

describe('rules on transactions entered and edited by hand (ledger API)', () => {
  test('a manual transaction gets the rules at once; the category the user gives stays', async () => {
    await s.get('/p/rules/');
    const created = await s.api('POST', '/api/v1/ledger/transactions', { accountId: f.checking, date: '2024-07-02', amount: '-15.99', payee: 'NETFLIX.COM 866' });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json().payee, 'Netflix');
    assert.equal(created.json().categoryId, f.dining);
    assert.deepEqual(created.json().tags, ['subscription']);
    const own = await s.api('POST', '/api/v1/ledger/transactions', { accountId: f.checking, date: '2024-07-02', amount: '-15.99', payee: 'Netflix', categoryId: f.groceries });
    assert.equal(own.json().categoryId, f.groceries);
    assert.equal(own.json().categorySource, 'user');
  });

  test('an edit runs the rules again, leaving alone what the edit itself set', async () => {
    const t = (await s.api('POST', '/api/v1/ledger/transactions', { accountId: f.checking, date: '2024-07-03', amount: '-9.99', payee: 'Bakery' })).json();
    assert.deepEqual(t.tags, []);
    // Renamed by hand to a payee rules know: the other actions apply, the new name is kept.
    const renamed = await s.api('PATCH', `/api/v1/ledger/transactions/${t.id}`, { payee: 'netflix' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.json().payee, 'netflix');
    assert.equal(renamed.json().categoryId, f.dining);
    assert.deepEqual(renamed.json().tags, ['subscription']);
    // The user removes the tag the rule added: the rules do not put it back.
    const untagged = await s.api('PATCH', `/api/v1/ledger/transactions/${t.id}`, { tags: [] });
    assert.deepEqual(untagged.json().tags, []);
  });
});

