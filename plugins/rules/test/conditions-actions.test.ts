// Every condition and every action, on concrete transactions stored in the ledger, run through the
// real path: rules created with the API, applied by the apply-to-existing job, results read back
// from ledger.transactions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { createRule, previewAndApply } from './helpers.ts';
import { insertTxn, readTxn, seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
});
after(() => t?.close());

describe('rule conditions on stored transactions', () => {
  let s: TestSession;
  let f: Fixtures;
  const T: Record<string, string> = {};

  before(async () => {
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
    const hh = s.householdId;
    T.grocery = await insertTxn(t, hh, {
      accountId: f.checking, date: '2024-03-15', amount: '-42.50', payee: 'Whole Foods Market #123', description: 'WHOLEFDS MKT 123 AUSTIN TX',
      pfcPrimary: 'FOOD_AND_DRINK', pfcDetailed: 'FOOD_AND_DRINK_GROCERIES',
    });
    T.salary = await insertTxn(t, hh, {
      accountId: f.card, date: '2024-04-02', amount: '1500.00', payee: 'ACME Payroll', description: 'SALARY APRIL', notes: 'monthly pay', tags: ['work'],
    });
    T.fuel = await insertTxn(t, hh, {
      accountId: f.card, date: '2024-04-20', amount: '-60.00', payee: 'Shell', description: 'SHELL OIL 5541', categoryId: f.fuel, categorySource: 'provider',
      pfcPrimary: 'TRANSPORTATION', pfcDetailed: 'TRANSPORTATION_GAS', pending: true,
    });
    T.netflix = await insertTxn(t, hh, {
      accountId: f.checking, date: '2024-05-01', amount: '-9.99', payee: null, description: 'Netflix.com', notes: 'Gift for Mom', tags: ['Subscriptions'],
    });
  });

  // Each case: one rule with that condition (or conditions), tagging what it matches with its own tag.
  const cases: { name: string; conditions: Record<string, unknown>[]; match?: 'all' | 'any'; expect: string[] }[] = [
    { name: 'payee contains (case-insensitive)', conditions: [{ field: 'payee', op: 'contains', value: 'whole foods' }], expect: ['grocery'] },
    { name: 'payee contains, case-sensitive', conditions: [{ field: 'payee', op: 'contains', value: 'WHOLE FOODS', caseSensitive: true }], expect: [] },
    { name: 'payee equals', conditions: [{ field: 'payee', op: 'equals', value: 'shell' }], expect: ['fuel'] },
    { name: 'payee starts with', conditions: [{ field: 'payee', op: 'starts_with', value: 'acme' }], expect: ['salary'] },
    { name: 'payee matches', conditions: [{ field: 'payee', op: 'matches', value: '^whole\\s+foods' }], expect: ['grocery'] },
    { name: 'description contains', conditions: [{ field: 'description', op: 'contains', value: 'netflix' }], expect: ['netflix'] },
    { name: 'description equals', conditions: [{ field: 'description', op: 'equals', value: 'salary april' }], expect: ['salary'] },
    { name: 'description starts with', conditions: [{ field: 'description', op: 'starts_with', value: 'shell oil' }], expect: ['fuel'] },
    { name: 'description matches', conditions: [{ field: 'description', op: 'matches', value: '\\d{4}$' }], expect: ['fuel'] },
    { name: 'notes contains', conditions: [{ field: 'notes', op: 'contains', value: 'gift' }], expect: ['netflix'] },
    { name: 'notes equals', conditions: [{ field: 'notes', op: 'equals', value: 'Monthly Pay' }], expect: ['salary'] },
    { name: 'notes starts with', conditions: [{ field: 'notes', op: 'starts_with', value: 'gift for' }], expect: ['netflix'] },
    { name: 'notes matches', conditions: [{ field: 'notes', op: 'matches', value: 'pay$' }], expect: ['salary'] },
    { name: 'amount equals', conditions: [{ field: 'amount', op: 'equals', value: '-42.5' }], expect: ['grocery'] },
    { name: 'amount greater', conditions: [{ field: 'amount', op: 'greater', value: '1000' }], expect: ['salary'] },
    { name: 'amount less', conditions: [{ field: 'amount', op: 'less', value: '-50' }], expect: ['fuel'] },
    { name: 'amount between (inclusive)', conditions: [{ field: 'amount', op: 'between', value: '-60', max: '-9.99' }], expect: ['grocery', 'fuel', 'netflix'] },
    { name: 'direction in', conditions: [{ field: 'direction', op: 'is', value: 'in' }], expect: ['salary'] },
    { name: 'direction out', conditions: [{ field: 'direction', op: 'is', value: 'out' }], expect: ['grocery', 'fuel', 'netflix'] },
    { name: 'account is', conditions: [{ field: 'account', op: 'is', value: ['card'] }], expect: ['salary', 'fuel'] },
    { name: 'account is not', conditions: [{ field: 'account', op: 'is_not', value: ['card'] }], expect: ['grocery', 'netflix'] },
    { name: 'category is', conditions: [{ field: 'category', op: 'is', value: ['fuel'] }], expect: ['fuel'] },
    { name: 'category is empty', conditions: [{ field: 'category', op: 'is_empty' }], expect: ['grocery', 'salary', 'netflix'] },
    { name: 'provider category is (primary)', conditions: [{ field: 'provider_category', op: 'is', value: 'FOOD_AND_DRINK' }], expect: ['grocery'] },
    { name: 'provider category is (detailed)', conditions: [{ field: 'provider_category', op: 'is', value: 'TRANSPORTATION_GAS' }], expect: ['fuel'] },
    { name: 'date between (inclusive)', conditions: [{ field: 'date', op: 'between', value: '2024-04-02', max: '2024-04-20' }], expect: ['salary', 'fuel'] },
    { name: 'pending', conditions: [{ field: 'pending', op: 'is', value: true }], expect: ['fuel'] },
    { name: 'not pending', conditions: [{ field: 'pending', op: 'is', value: false }], expect: ['grocery', 'salary', 'netflix'] },
    { name: 'tag has (case-insensitive)', conditions: [{ field: 'tag', op: 'has', value: 'subscriptions' }], expect: ['netflix'] },
    {
      name: 'all of two conditions', match: 'all',
      conditions: [{ field: 'payee', op: 'contains', value: 'e' }, { field: 'amount', op: 'less', value: '0' }], expect: ['grocery', 'fuel'],
    },
    {
      name: 'any of two conditions', match: 'any',
      conditions: [{ field: 'payee', op: 'contains', value: 'shell' }, { field: 'notes', op: 'contains', value: 'gift' }], expect: ['fuel', 'netflix'],
    },
  ];

  test('each condition matches exactly the transactions it describes', async () => {
    // Ids in the table above are fixture names until the fixtures exist.
    const ids = (v: unknown) => (Array.isArray(v) ? v.map((x) => (f as Record<string, string>)[x] ?? x) : v);
    for (const [i, c] of cases.entries()) {
      await createRule(s, {
        name: c.name, match: c.match, stage: 'post',
        conditions: c.conditions.map((x) => ({ ...x, ...(x.value !== undefined ? { value: ids(x.value) } : {}) })),
        actions: [{ type: 'add_tag', value: `case-${i}` }],
      });
    }
    const { preview, run } = await previewAndApply(t, s);
    assert.equal(run.status, 'done');
    assert.equal(run.changed, preview.matched);
    const tagsOf = new Map<string, string[]>();
    for (const [name, id] of Object.entries(T)) tagsOf.set(name, (await readTxn(t, s.householdId, id)).tags);
    for (const [i, c] of cases.entries()) {
      const hit = [...tagsOf].filter(([, tags]) => tags.includes(`case-${i}`)).map(([name]) => name).sort();
      assert.deepEqual(hit, [...c.expect].sort(), `${c.name}: matched ${hit.join(', ') || 'nothing'}`);
    }
    // Tags the transactions had are kept; the new ones are added after them.
    assert.equal(tagsOf.get('salary')![0], 'work');
    assert.equal(tagsOf.get('netflix')![0], 'Subscriptions');
  });
});

describe('rule actions on stored transactions', () => {
  let s: TestSession;
  let f: Fixtures;

  before(async () => {
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
  });

  test('set category, rename payee, add tag, set note, exclude and mark as transfer each change the stored row', async () => {
    const hh = s.householdId;
    const plain = await insertTxn(t, hh, { accountId: f.card, payee: 'COFFEE BEAN #42', amount: '-4.20', categoryId: f.groceries, categorySource: 'provider' });
    const handSet = await insertTxn(t, hh, { accountId: f.card, payee: 'Coffee Bean Airport', amount: '-6.00', categoryId: f.groceries, categorySource: 'user', notes: 'mine', tags: ['trip'] });
    const other = await insertTxn(t, hh, { accountId: f.card, payee: 'Bakery', amount: '-3.00' });
    await createRule(s, {
      conditions: [{ field: 'payee', op: 'contains', value: 'coffee bean' }],
      actions: [
        { type: 'set_category', categoryId: f.dining },
        { type: 'rename_payee', value: 'The Coffee Bean' },
        { type: 'add_tag', value: 'coffee' },
        { type: 'set_note', value: 'morning coffee' },
        { type: 'exclude' },
        { type: 'mark_transfer' },
      ],
    });
    const { preview, run } = await previewAndApply(t, s);
    assert.equal(preview.matched, 2);
    assert.equal(run.changed, 2);

    assert.deepEqual(await readTxn(t, hh, plain), {
      payee: 'The Coffee Bean', notes: 'morning coffee', tags: ['coffee'], excluded: true, is_transfer: true, category_id: f.dining, category_source: 'rule',
    });
    // What the user set by hand stays: their category and their note. The rest applies.
    assert.deepEqual(await readTxn(t, hh, handSet), {
      payee: 'The Coffee Bean', notes: 'mine', tags: ['trip', 'coffee'], excluded: true, is_transfer: true, category_id: f.groceries, category_source: 'user',
    });
    assert.deepEqual(await readTxn(t, hh, other), {
      payee: 'Bakery', notes: null, tags: [], excluded: false, is_transfer: false, category_id: null, category_source: null,
    });
  });

  test('stop processing: rules after it do not run on that transaction', async () => {
    const hh = s.householdId;
    const rent = await insertTxn(t, hh, { accountId: f.checking, payee: 'Landlord Ltd', amount: '-900.00' });
    await createRule(s, { stage: 'pre', conditions: [{ field: 'payee', op: 'contains', value: 'landlord' }], actions: [{ type: 'add_tag', value: 'rent' }, { type: 'stop' }] });
    await createRule(s, { stage: 'post', conditions: [{ field: 'payee', op: 'contains', value: 'landlord' }], actions: [{ type: 'add_tag', value: 'after-stop' }] });
    await previewAndApply(t, s);
    assert.deepEqual((await readTxn(t, hh, rent)).tags, ['rent']);
  });
});
