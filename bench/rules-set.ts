// The 200 rules of the rules benchmark: a long-time user's set, over the merchants of rules-data.ts.
import type { RuleInput } from '../plugins/rules/engine/schema.ts';
import { KINDS, NAMES } from './rules-data.ts';

/**
 * The categories' ids in the order of their names: the rules pick categories by position, and ids
 * are random, so ordering by id would make each run's rules (and how many rows they change) differ.
 */
export const byName = (categories: Map<string, string>): string[] =>
  [...categories].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, id]) => id);

/** 200 rules like a long-time user's: clean-ups first, categorization, then tagging. */
export function makeRules(categories: Map<string, string>): RuleInput[] {
  const ids = byName(categories);
  const cat = (i: number) => ids[(i * 37) % ids.length];
  const rules: RuleInput[] = [];
  const base = { enabled: true } as const;
  // pre: 20 clean-ups (payee renames)
  for (const name of NAMES) {
    rules.push({ ...base, name: `clean ${name} coffee`, stage: 'pre', match: 'all',
      conditions: [{ field: 'payee', op: 'starts_with', value: `${name} coffee` }], actions: [{ type: 'rename_payee', value: `${name} Café` }] });
  }
  // default: 100 merchant rules, 30 "any" rules, 20 amount rules
  for (let n = 0; n < 5; n++) {
    KINDS.forEach(([kind], k) => rules.push({ ...base, name: `${NAMES[n]} ${kind}`, stage: 'default', match: 'all',
      conditions: [{ field: 'payee', op: 'contains', value: `${NAMES[n]} ${kind}`.toLowerCase() }], actions: [{ type: 'set_category', categoryId: cat(n * 20 + k) }] }));
  }
  for (let i = 0; i < 30; i++) {
    const name = NAMES[5 + (i % 10)];
    rules.push({ ...base, name: `food ${i}`, stage: 'default', match: 'any',
      conditions: [{ field: 'payee', op: 'contains', value: `${name} grill` }, { field: 'description', op: 'starts_with', value: `${name.toUpperCase()} BURGERS ${1000 + i}` }],
      actions: [{ type: 'set_category', categoryId: cat(200 + i) }, ...(i % 3 === 0 ? [{ type: 'stop' as const }] : [])] });
  }
  for (let i = 0; i < 20; i++) {
    rules.push({ ...base, name: `big market ${i}`, stage: 'default', match: 'all',
      conditions: [{ field: 'payee', op: 'contains', value: `${NAMES[i]} market` }, { field: 'amount', op: 'less', value: '-200' }],
      actions: [{ type: 'set_category', categoryId: cat(300 + i) }, { type: 'add_tag', value: 'big-shop' }] });
  }
  // post: 30 tagging rules
  for (let i = 0; i < 10; i++) {
    rules.push({ ...base, name: `tag category ${i}`, stage: 'post', match: 'all',
      conditions: [{ field: 'category', op: 'is', value: [cat(i * 20)] }], actions: [{ type: 'add_tag', value: `cat-${i}` }] });
  }
  for (let i = 0; i < 10; i++) {
    rules.push({ ...base, name: `band ${i}`, stage: 'post', match: 'all',
      conditions: [{ field: 'amount', op: 'between', value: `-${250 - i}`, max: `-${249 - i}` }, { field: 'pending', op: 'is', value: false }],
      actions: [{ type: 'add_tag', value: `band-${i}` }] });
  }
  for (let i = 0; i < 10; i++) {
    rules.push({ ...base, name: `commute ${i}`, stage: 'post', match: 'all',
      conditions: [{ field: 'payee', op: 'matches', value: `^${NAMES[i]} (taxi|parking)` }], actions: [{ type: 'add_tag', value: 'commute' }, { type: 'set_note', value: 'work trip?' }] });
  }
  return rules;
}
