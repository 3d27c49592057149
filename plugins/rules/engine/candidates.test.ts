// The engine's shortcuts must never change an outcome: rules skipped because their needle is absent
// (including "any" rules and regexes with a literal start), amounts compared as numbers when that is
// exact, and the Unicode cases where a lower-cased substring test would be wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRules, runRules, type RuleTxn } from './engine.ts';
import { regexLiteral, regexNeedles } from './requirements.ts';
import { RuleInputSchema, type Rule, type RuleInput } from './schema.ts';
import { comparableNumber } from './working.ts';

const txn = (over: Partial<RuleTxn> = {}): RuleTxn => ({
  id: 't1', accountId: 'a', date: '2024-03-15', amount: '-42.50', payee: 'Blue Taxi Co', description: 'BLUE TAXI 1234',
  notes: null, categoryId: null, categorySource: null, pfcPrimary: null, pfcDetailed: null, pending: false, tags: [],
  excluded: false, isTransfer: false, ...over,
});

let seq = 0;
const rule = (input: Partial<RuleInput> & Pick<RuleInput, 'conditions'>): Rule => {
  const parsed = RuleInputSchema.parse({ name: `r${++seq}`, actions: [{ type: 'add_tag', value: `tag${seq}` }], ...input });
  return { ...parsed, id: parsed.name, position: seq };
};
const fired = (rules: Rule[], t: RuleTxn) => runRules(compileRules(rules), t).fired;

describe('needle shortcuts keep every outcome', () => {
  it('"any" rules are found through any of their needles', () => {
    const r = rule({ match: 'any', conditions: [{ field: 'payee', op: 'contains', value: 'grill' }, { field: 'description', op: 'starts_with', value: 'blue taxi' }] });
    const set = compileRules([r]);
    assert.equal(set.always[0], 0, 'indexed, not tried on every transaction');
    assert.deepEqual(runRules(set, txn()).fired, [r.id]);
    assert.deepEqual(runRules(set, txn({ payee: 'Harbor Grill', description: 'x' })).fired, [r.id]);
    assert.deepEqual(runRules(set, txn({ payee: 'Harbor Bar', description: 'x' })).fired, []);
  });

  it('an "any" rule with a non-text condition is tried on every transaction', () => {
    const r = rule({ match: 'any', conditions: [{ field: 'payee', op: 'contains', value: 'grill' }, { field: 'amount', op: 'less', value: '-40' }] });
    const set = compileRules([r]);
    assert.equal(set.always[0], 1);
    assert.deepEqual(runRules(set, txn({ payee: 'Other' })).fired, [r.id]);
  });

  it('a regex with a literal start is indexed by it, and still fires on non-ASCII text the needle cannot see', () => {
    assert.equal(regexLiteral('^Blue (taxi|parking)'), 'blue ');
    assert.equal(regexLiteral('uber|lyft'), null);
    assert.equal(regexLiteral('colou?r'), 'colo', 'the quantifier makes the "u" optional');
    assert.equal(regexLiteral('abcd?e'), 'abc');
    assert.equal(regexLiteral('^a.b'), null);
    assert.deepEqual(regexNeedles('^Blue (taxi|parking)'), ['blue taxi', 'blue parking'], 'carried into a group of literal alternatives');
    assert.deepEqual(regexNeedles('(uber|lyft) trip'), ['uber', 'lyft']);
    assert.deepEqual(regexNeedles('^blue (?:cab|car)s'), ['blue cab', 'blue car']);
    assert.deepEqual(regexNeedles('^blue (taxi|parking)?'), ['blue '], 'an optional group is not required');
    assert.deepEqual(regexNeedles('^blue (taxi|p.rking)'), ['blue '], 'only literal alternatives');
    assert.deepEqual(regexNeedles('^blue (taxi|(park|lot))'), ['blue ']);
    assert.deepEqual(regexNeedles('^(a|bc)d'), null, 'too short to help');
    assert.deepEqual(regexNeedles('colou?r (red|blue)'), ['colo'], 'after a quantifier only the start');
    assert.deepEqual(regexNeedles('uber|lyft'), null);
    const r = rule({ conditions: [{ field: 'payee', op: 'matches', value: '^parking (lot|garage)' }] });
    assert.deepEqual(fired([r], txn({ payee: 'PARKING GARAGE 5' })), [r.id]);
    assert.deepEqual(fired([r], txn({ payee: 'street parking lot' })), []);
    // Case-insensitive Unicode matching folds "ſ" (long s) to "s": lower-casing does not, so the
    // needle "bus station" is absent from this text, yet the regex matches. The rule must still run.
    assert.ok(/^bus station/iu.test('Buſ station'));
    const longS = rule({ conditions: [{ field: 'payee', op: 'matches', value: '^bus station' }] });
    assert.deepEqual(fired([longS], txn({ payee: 'Buſ station' })), [longS.id]);
  });

  it('a case-sensitive non-ASCII value is tried on every transaction rather than trusted to lower-casing', () => {
    const r = rule({ conditions: [{ field: 'payee', op: 'contains', value: 'Σ', caseSensitive: true }] });
    assert.equal(compileRules([r]).always[0], 1);
    assert.deepEqual(fired([r], txn({ payee: 'ΑΣ' })), [r.id]);
  });

  it('a payee renamed by an earlier rule brings in rules that need the new text, and drops those that needed the old', () => {
    const rename = rule({ stage: 'pre', conditions: [{ field: 'payee', op: 'matches', value: '^blue taxi' }], actions: [{ type: 'rename_payee', value: 'Taxi' }] });
    const needsNew = rule({ conditions: [{ field: 'payee', op: 'equals', value: 'taxi' }] });
    const needsOld = rule({ conditions: [{ field: 'payee', op: 'contains', value: 'blue' }] });
    assert.deepEqual(fired([needsOld, needsNew, rename], txn()), [rename.id, needsNew.id]);
  });
});

describe('needle shortcuts against trying every rule', () => {
  // Random rule sets of 100 rules (four words of candidate bits) whose renames and notes change the
  // text later rules look for, over random transactions: the indexed run and the run that tests
  // every rule must agree on every change and every fired rule.
  const words = ['blue', 'taxi', 'blue taxi', 'café', 'market', 'grill', 'harbor', 'x', 'parking', 'BLUE'];
  const random = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  it('agree on 4 rule sets × 300 transactions', () => {
    const rnd = random(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const phrase = () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(words)).join(' ');
    // Regexes with groups of alternatives, as the needle shortcut reads them ("blue taxi" or "blue parking").
    const patterns = ['^blue (taxi|parking)', '(blue|market) taxi', '(caf|park)', 'blue (?:taxi|x)', '(grill|harbor)+', 'x (blue|taxi)?'];
    const textCondition = () => {
      const op = pick(['contains', 'starts_with', 'equals', 'matches', 'matches'] as const);
      return { field: pick(['payee', 'description', 'notes'] as const), op, value: op === 'matches' && rnd() < 0.5 ? pick(patterns) : pick(words) };
    };
    for (let s = 0; s < 4; s++) {
      const rules = Array.from({ length: 100 }, (_, i) => rule({
        stage: pick(['pre', 'default', 'post'] as const),
        match: rnd() < 0.3 ? 'any' : 'all',
        conditions: rnd() < 0.1 ? [{ field: 'amount', op: 'less', value: '-10' }] : Array.from({ length: 1 + Math.floor(rnd() * 2) }, textCondition),
        actions: [pick([
          { type: 'rename_payee', value: phrase() }, { type: 'set_note', value: phrase() }, { type: 'add_tag', value: `t${i}` },
          { type: 'set_category', categoryId: `00000000-0000-4000-8000-00000000000${i % 7}` }, { type: 'exclude' },
        ] as RuleInput['actions']), ...(rnd() < 0.05 ? [{ type: 'stop' as const }] : [])],
      }));
      const indexed = compileRules(rules);
      const every = compileRules(rules, { tryEvery: true });
      let firedSome = 0;
      for (let k = 0; k < 300; k++) {
        const t = txn({ payee: phrase(), description: rnd() < 0.8 ? phrase() : null, notes: rnd() < 0.3 ? phrase() : null, amount: rnd() < 0.5 ? '-20' : '5' });
        const want = runRules(every, t);
        assert.deepEqual(runRules(indexed, t), want, `rule set ${s}, transaction ${JSON.stringify(t)}`);
        if (want.fired.length > 1) firedSome++;
      }
      assert.ok(firedSome > 30, `the random transactions fire rules (${firedSome} of 300 fired two or more)`);
    }
  });
});

describe('amounts', () => {
  it('compare as numbers when exact and as scaled integers beyond 15 digits', () => {
    assert.equal(comparableNumber('-12.5000'), -12.5);
    assert.ok(Number.isNaN(comparableNumber('1234567890.1234567')));
    const big = rule({ conditions: [{ field: 'amount', op: 'greater', value: '1234567890.1234566' }] });
    assert.deepEqual(fired([big], txn({ amount: '1234567890.1234567' })), [big.id]);
    assert.deepEqual(fired([big], txn({ amount: '1234567890.1234566' })), []);
    const eq = rule({ conditions: [{ field: 'amount', op: 'equals', value: '-42.5' }] });
    assert.deepEqual(fired([eq], txn({ amount: '-42.500000' })), [eq.id]);
    const tiny = rule({ conditions: [{ field: 'amount', op: 'between', value: '0.0000000001', max: '0.0000000003' }] });
    assert.deepEqual(fired([tiny], txn({ amount: '0.0000000002' })), [tiny.id]);
  });

  it('zero is neither money in nor money out', () => {
    const out = rule({ conditions: [{ field: 'direction', op: 'is', value: 'out' }] });
    const into = rule({ conditions: [{ field: 'direction', op: 'is', value: 'in' }] });
    assert.deepEqual(fired([out, into], txn({ amount: '-0.00' })), []);
    assert.deepEqual(fired([out, into], txn({ amount: '0' })), []);
    assert.deepEqual(fired([out, into], txn({ amount: '0.01' })), [into.id]);
  });
});
