// "Create a rule from this transaction": a draft that matches transactions like it (same payee, or
// description when there is no payee; same account; same direction) and gives them its category.
import type { RuleTxn } from '../engine/engine.ts';
import { emptyAction, type CondDraft, type Draft } from './draft.ts';

export function draftFromTransaction(t: RuleTxn): Draft {
  const conditions: CondDraft[] = [];
  const text = t.payee ? { field: 'payee', value: t.payee } : t.description ? { field: 'description', value: t.description } : null;
  if (text) conditions.push({ kind: `${text.field}:contains`, value: text.value, max: '', cs: false, ids: [] });
  conditions.push({ kind: 'account:is', value: '', max: '', cs: false, ids: [t.accountId] });
  conditions.push({ kind: 'direction:is', value: t.amount.startsWith('-') ? 'out' : 'in', max: '', cs: false, ids: [] });
  const action = t.categoryId ? { type: 'set_category', value: '', categoryId: t.categoryId } : emptyAction();
  return {
    name: (text?.value ?? 'New rule').slice(0, 100),
    stage: 'default',
    match: 'all',
    enabled: true,
    conditions,
    actions: [action],
  };
}
