// A page runs in slices with a turn of the event loop between them (so the next page can stream in):
// the result must be the page's result, in order, whatever the slice size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRules, type RuleTxn } from '../engine/engine.ts';
import { RuleInputSchema, type Rule, type RuleInput } from '../engine/schema.ts';
import { runPage, runPageInSlices } from './scan.ts';

const rule = (position: number, input: Partial<RuleInput> & Pick<RuleInput, 'conditions' | 'actions'>): Rule => {
  const parsed = RuleInputSchema.parse({ name: `r${position}`, ...input });
  return { ...parsed, id: parsed.name, position };
};

const txn = (i: number): RuleTxn => ({
  id: `t${i}`, accountId: 'a', date: '2024-03-15', amount: `-${i % 50}.25`, payee: ['Blue Taxi', 'Corner Market', 'Other'][i % 3],
  description: null, notes: null, categoryId: null, categorySource: null, pfcPrimary: null, pfcDetailed: null, pending: false,
  tags: [], excluded: false, isTransfer: false,
});

describe('runPageInSlices', () => {
  const set = compileRules([
    rule(1, { stage: 'pre', conditions: [{ field: 'payee', op: 'starts_with', value: 'blue' }], actions: [{ type: 'rename_payee', value: 'Taxi' }] }),
    rule(2, { conditions: [{ field: 'payee', op: 'equals', value: 'taxi' }], actions: [{ type: 'add_tag', value: 'ride' }] }),
    rule(3, { conditions: [{ field: 'amount', op: 'less', value: '-40' }], actions: [{ type: 'exclude' }] }),
  ]);
  const page = Array.from({ length: 2_500 }, (_, i) => txn(i));

  it('gives the same changes as one pass, with the event loop served between slices', async () => {
    const whole = runPage(set, page);
    assert.ok(whole.length > 1_000, `most transactions change (${whole.length})`);
    for (const slice of [1, 7, 1_000, 5_000]) {
      // Counts the event loop's turns while the page is worked through.
      let turns = 0;
      let counting = true;
      const count = () => { turns++; if (counting) setImmediate(count); };
      setImmediate(count);
      const sliced = await runPageInSlices(set, page, slice);
      counting = false;
      assert.deepEqual(sliced, whole, `slices of ${slice}`);
      if (slice === 7) assert.ok(turns >= 300, `the loop turned between the 358 slices (${turns} turns)`);
      if (slice === 5_000) assert.equal(turns, 0, 'one slice: the page is run without a turn');
    }
  });
});
