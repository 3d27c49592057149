import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRules, runRules, type RuleTxn } from './engine.ts';
import { RuleInputSchema, type Rule, type RuleInput } from './schema.ts';

const ACC1 = '11111111-1111-4111-8111-111111111111';
const ACC2 = '22222222-2222-4222-8222-222222222222';
const GROCERIES = '33333333-3333-4333-8333-333333333333';
const DINING = '44444444-4444-4444-8444-444444444444';

const txn = (over: Partial<RuleTxn> = {}): RuleTxn => ({
  id: 't1', accountId: ACC1, date: '2024-03-15', amount: '-42.50', payee: 'Whole Foods Market #123',
  description: 'WHOLEFDS MKT 123 AUSTIN TX', notes: null, categoryId: null, categorySource: null,
  pfcPrimary: 'FOOD_AND_DRINK', pfcDetailed: 'FOOD_AND_DRINK_GROCERIES', pending: false, tags: [],
  excluded: false, isTransfer: false, ...over,
});

let seq = 0;
const rule = (input: Partial<RuleInput> & Pick<RuleInput, 'conditions' | 'actions'>): Rule => {
  const parsed = RuleInputSchema.parse({ name: `r${++seq}`, ...input });
  return { ...parsed, id: parsed.name, position: seq };
};
const fires = (r: Rule, t: RuleTxn) => runRules(compileRules([r]), t).fired.length === 1;
const cat = (categoryId = GROCERIES) => [{ type: 'set_category' as const, categoryId }];

describe('rule conditions', () => {
  it('text: contains, equals, starts_with, matches; case-insensitive by default', () => {
    assert.ok(fires(rule({ conditions: [{ field: 'payee', op: 'contains', value: 'whole foods' }], actions: cat() }), txn()));
    assert.ok(!fires(rule({ conditions: [{ field: 'payee', op: 'contains', value: 'whole foods', caseSensitive: true }], actions: cat() }), txn()));
    assert.ok(fires(rule({ conditions: [{ field: 'description', op: 'starts_with', value: 'wholefds' }], actions: cat() }), txn()));
    assert.ok(!fires(rule({ conditions: [{ field: 'payee', op: 'equals', value: 'whole foods' }], actions: cat() }), txn()));
    assert.ok(fires(rule({ conditions: [{ field: 'payee', op: 'equals', value: 'WHOLE FOODS MARKET #123' }], actions: cat() }), txn()));
    assert.ok(fires(rule({ conditions: [{ field: 'description', op: 'matches', value: 'mkt \\d+ austin' }], actions: cat() }), txn()));
    assert.ok(!fires(rule({ conditions: [{ field: 'notes', op: 'contains', value: 'x' }], actions: cat() }), txn()));
    assert.ok(fires(rule({ conditions: [{ field: 'notes', op: 'contains', value: 'GIFT' }], actions: cat() }), txn({ notes: 'birthday gift' })));
  });

  it('amount: equals, greater, less, between; direction in/out', () => {
    const t = txn();
    assert.ok(fires(rule({ conditions: [{ field: 'amount', op: 'equals', value: '-42.5' }], actions: cat() }), t));
    assert.ok(fires(rule({ conditions: [{ field: 'amount', op: 'less', value: '-40' }], actions: cat() }), t));
    assert.ok(!fires(rule({ conditions: [{ field: 'amount', op: 'greater', value: '-42.50' }], actions: cat() }), t));
    assert.ok(fires(rule({ conditions: [{ field: 'amount', op: 'between', value: '-50', max: '-42.50' }], actions: cat() }), t));
    assert.ok(!fires(rule({ conditions: [{ field: 'amount', op: 'between', value: '-42.49', max: '0' }], actions: cat() }), t));
    assert.ok(fires(rule({ conditions: [{ field: 'direction', op: 'is', value: 'out' }], actions: cat() }), t));
    assert.ok(!fires(rule({ conditions: [{ field: 'direction', op: 'is', value: 'in' }], actions: cat() }), t));
    assert.ok(fires(rule({ conditions: [{ field: 'direction', op: 'is', value: 'in' }], actions: cat() }), txn({ amount: '1000.00' })));
  });

  it('account is / is not, category is / is empty, provider category, date, pending, tag', () => {
    assert.ok(fires(rule({ conditions: [{ field: 'account', op: 'is', value: [ACC1] }], actions: cat() }), txn()));
    assert.ok(!fires(rule({ conditions: [{ field: 'account', op: 'is_not', value: [ACC1, ACC2] }], actions: cat() }), txn()));
    assert.ok(fires(rule({ conditions: [{ field: 'category', op: 'is_empty' }], actions: cat() }), txn()));
    assert.ok(fires(rule({ conditions: [{ field: 'category', op: 'is', value: [DINING] }], actions: cat() }), txn({ categoryId: DINING })));
    assert.ok(fires(rule({ conditions: [{ field: 'provider_category', op: 'is', value: 'FOOD_AND_DRINK' }], actions: cat() }), txn()));
    assert.ok(fires(rule({ conditions: [{ field: 'provider_category', op: 'is', value: 'FOOD_AND_DRINK_GROCERIES' }], actions: cat() }), txn()));
    assert.ok(!fires(rule({ conditions: [{ field: 'provider_category', op: 'is', value: 'TRANSPORTATION' }], actions: cat() }), txn()));
    assert.ok(fires(rule({ conditions: [{ field: 'date', op: 'between', value: '2024-03-01', max: '2024-03-15' }], actions: cat() }), txn()));
    assert.ok(!fires(rule({ conditions: [{ field: 'date', op: 'between', value: '2024-03-16', max: '2024-03-31' }], actions: cat() }), txn()));
    assert.ok(fires(rule({ conditions: [{ field: 'pending', op: 'is', value: true }], actions: cat() }), txn({ pending: true })));
    assert.ok(!fires(rule({ conditions: [{ field: 'pending', op: 'is', value: true }], actions: cat() }), txn()));
    assert.ok(fires(rule({ conditions: [{ field: 'tag', op: 'has', value: 'Vacation' }], actions: cat() }), txn({ tags: ['vacation'] })));
  });

  it('all requires every condition, any requires one', () => {
    const conditions = [
      { field: 'payee', op: 'contains', value: 'whole' },
      { field: 'amount', op: 'greater', value: '0' },
    ];
    assert.ok(!fires(rule({ match: 'all', conditions, actions: cat() }), txn()));
    assert.ok(fires(rule({ match: 'any', conditions, actions: cat() }), txn()));
  });
});

describe('rule actions', () => {
  it('each action changes exactly what it names', () => {
    const r = rule({
      conditions: [{ field: 'payee', op: 'contains', value: 'whole' }],
      actions: [
        { type: 'set_category', categoryId: GROCERIES },
        { type: 'rename_payee', value: 'Whole Foods' },
        { type: 'add_tag', value: 'food' },
        { type: 'set_note', value: 'weekly shop' },
        { type: 'exclude' },
        { type: 'mark_transfer' },
      ],
    });
    const { change } = runRules(compileRules([r]), txn({ tags: ['x'] }));
    assert.deepEqual(change, { categoryId: GROCERIES, payee: 'Whole Foods', tags: ['x', 'food'], notes: 'weekly shop', excluded: true, isTransfer: true });
  });

  it('a category the user chose by hand survives every rule; notes are only filled when empty', () => {
    const r = rule({ conditions: [{ field: 'payee', op: 'contains', value: 'whole' }], actions: [...cat(), { type: 'set_note', value: 'rule note' }] });
    const { change, fired } = runRules(compileRules([r]), txn({ categoryId: DINING, categorySource: 'user', notes: 'mine' }));
    assert.deepEqual(fired, [r.id]);
    assert.deepEqual(change, {});
  });

  it('a category set by an earlier rule or the provider may be replaced', () => {
    const { change } = runRules(compileRules([rule({ conditions: [{ field: 'payee', op: 'contains', value: 'whole' }], actions: cat(DINING) })]),
      txn({ categoryId: GROCERIES, categorySource: 'provider' }));
    assert.equal(change.categoryId, DINING);
  });
});

describe('rule order', () => {
  it('runs pre, default, post stages in order, then by position; later rules see earlier changes', () => {
    const post = rule({ stage: 'post', conditions: [{ field: 'payee', op: 'equals', value: 'Whole Foods' }], actions: [{ type: 'add_tag', value: 'renamed' }] });
    const pre = rule({ stage: 'pre', conditions: [{ field: 'payee', op: 'contains', value: 'whole foods market' }], actions: [{ type: 'rename_payee', value: 'Whole Foods' }] });
    const { change, fired } = runRules(compileRules([post, pre]), txn());
    assert.deepEqual(fired, [pre.id, post.id]);
    assert.deepEqual(change, { payee: 'Whole Foods', tags: ['renamed'] });
  });

  it('a rule that only matches the renamed payee still fires after the rename', () => {
    const rename = rule({ stage: 'pre', conditions: [{ field: 'payee', op: 'starts_with', value: 'amzn mktp' }], actions: [{ type: 'rename_payee', value: 'Amazon' }] });
    const tag = rule({ conditions: [{ field: 'payee', op: 'equals', value: 'amazon' }], actions: [{ type: 'add_tag', value: 'shopping' }] });
    const stale = rule({ conditions: [{ field: 'payee', op: 'contains', value: 'mktp' }], actions: [{ type: 'add_tag', value: 'stale' }] });
    const { change, fired } = runRules(compileRules([tag, stale, rename]), txn({ payee: 'AMZN Mktp US*2K4' }));
    assert.deepEqual(fired, [rename.id, tag.id]);
    assert.deepEqual(change, { payee: 'Amazon', tags: ['shopping'] });
  });

  it('stop processing ends the run after the current rule', () => {
    const first = rule({ conditions: [{ field: 'direction', op: 'is', value: 'out' }], actions: [...cat(GROCERIES), { type: 'stop' }] });
    const second = rule({ conditions: [{ field: 'direction', op: 'is', value: 'out' }], actions: cat(DINING) });
    const { change, fired } = runRules(compileRules([first, second]), txn());
    assert.deepEqual(fired, [first.id]);
    assert.equal(change.categoryId, GROCERIES);
  });

  it('disabled rules do not run', () => {
    const r = rule({ enabled: false, conditions: [{ field: 'direction', op: 'is', value: 'out' }], actions: cat() });
    assert.deepEqual(runRules(compileRules([r]), txn()).fired, []);
  });
});

describe('malformed rules are refused naming the condition', () => {
  const refuse = (condition: object, pattern: RegExp) => {
    const r = RuleInputSchema.safeParse({ name: 'bad', conditions: [{ field: 'payee', op: 'contains', value: 'ok' }, condition], actions: cat() });
    assert.equal(r.success, false);
    const messages = r.error!.issues.map((i) => i.message).join('\n');
    assert.match(messages, pattern);
  };
  it('bad regex', () => refuse({ field: 'payee', op: 'matches', value: '(unclosed' }, /conditions\[1\] \(payee matches\): invalid regular expression/));
  it('unknown field', () => refuse({ field: 'merchant_size', op: 'is', value: 'x' }, /conditions\[1\] \(merchant_size is\): unknown field 'merchant_size'/));
  it('wrong operator for the field', () => refuse({ field: 'amount', op: 'contains', value: '5' }, /conditions\[1\] \(amount contains\): operator 'contains' does not apply to amount/));
  it('wrong type for the operator', () => refuse({ field: 'amount', op: 'greater', value: 'ten' }, /conditions\[1\] \(amount greater\): value must be a decimal/));
  it('between with max below value', () => refuse({ field: 'amount', op: 'between', value: '10', max: '5' }, /max must not be less than value/));
  it('a date that is not on the calendar', () => {
    refuse({ field: 'date', op: 'between', value: '2026-02-31', max: '2026-03-31' }, /^conditions\[1\] \(date between\): 2026-02-31 is not a calendar date$/);
    refuse({ field: 'date', op: 'between', value: '2026-01-01', max: '2026-99-99' }, /^conditions\[1\] \(date between\): 2026-99-99 is not a calendar date$/);
    refuse({ field: 'date', op: 'between', value: '2025-02-29', max: '2025-03-01' }, /2025-02-29 is not a calendar date/);
    assert.ok(RuleInputSchema.safeParse({ name: 'leap', conditions: [{ field: 'date', op: 'between', value: '2024-02-29', max: '2024-02-29' }], actions: cat() }).success);
  });
  it('dates between with from after to', () => refuse({ field: 'date', op: 'between', value: '2026-03-02', max: '2026-03-01' }, /conditions\[1\] \(date between\): max must not be before value/));
  it('pending with a string', () => refuse({ field: 'pending', op: 'is', value: 'yes' }, /conditions\[1\] \(pending is\): value must be true or false/));
  it('unknown action', () => {
    const r = RuleInputSchema.safeParse({ name: 'bad', conditions: [{ field: 'payee', op: 'contains', value: 'x' }], actions: [{ type: 'delete_everything' }] });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0].path, ['actions', 0, 'type']);
  });
});

describe('tags', () => {
  it('add_tag leaves a transaction that has the ledger\'s 50 tags as it is, and still applies the other actions', () => {
    const full = Array.from({ length: 50 }, (_, i) => `t${i}`);
    const r = rule({ conditions: [{ field: 'payee', op: 'contains', value: 'whole foods' }], actions: [{ type: 'add_tag', value: 'groceries' }, ...cat()] });
    assert.deepEqual(runRules(compileRules([r]), txn({ tags: full })), { change: { categoryId: GROCERIES }, fired: [r.id] });
    const almost = full.slice(1);
    assert.deepEqual(runRules(compileRules([r]), txn({ tags: almost })).change.tags, [...almost, 'groceries']);
  });
});
