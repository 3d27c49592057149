// The rule form as data. A posted form becomes a Draft (every row as typed, even when invalid),
// a button like "Add condition" changes the Draft and the form is shown again (no JavaScript
// needed; htmx only swaps the form in place), and "Save" turns the Draft into a rule input that the
// rule language's schema validates, with errors placed on the rows they concern.
import type { Action, Condition, RuleInput } from '../engine/schema.ts';
import { actionKindOf, kindOf } from './kinds.ts';

export type CondDraft = { kind: string; value: string; max: string; cs: boolean; ids: string[] };
export type ActDraft = { type: string; value: string; categoryId: string };
export type Draft = {
  name: string; stage: string; match: string; enabled: boolean; conditions: CondDraft[]; actions: ActDraft[];
};
export type DraftErrors = { form: string[]; conditions: Record<number, string>; actions: Record<number, string> };

export const emptyCondition = (): CondDraft => ({ kind: 'payee:contains', value: '', max: '', cs: false, ids: [] });
export const emptyAction = (): ActDraft => ({ type: 'set_category', value: '', categoryId: '' });
export const emptyDraft = (): Draft => ({
  name: '', stage: 'default', match: 'all', enabled: true, conditions: [emptyCondition()], actions: [emptyAction()],
});

const MAX_ROWS = { conditions: 50, actions: 20 };

/** Row indexes present in the form (c0.kind, c3.kind... → [0, 3]), in order. */
function indexes(form: URLSearchParams, prefix: 'c' | 'a', key: string): number[] {
  const re = new RegExp(`^${prefix}(\\d{1,3})\\.${key}$`);
  const out = new Set<number>();
  for (const k of form.keys()) {
    const m = re.exec(k);
    if (m) out.add(Number(m[1]));
  }
  return [...out].sort((a, b) => a - b);
}

export function draftFromForm(form: URLSearchParams): Draft {
  const get = (k: string) => (form.get(k) ?? '').trim();
  return {
    name: get('name'),
    stage: get('stage') || 'default',
    match: get('match') || 'all',
    enabled: form.has('enabled'),
    conditions: indexes(form, 'c', 'kind').slice(0, MAX_ROWS.conditions).map((i) => ({
      kind: get(`c${i}.kind`),
      value: get(`c${i}.value`),
      max: get(`c${i}.max`),
      cs: form.has(`c${i}.cs`),
      ids: form.getAll(`c${i}.ids`).filter(Boolean),
    })),
    actions: indexes(form, 'a', 'type').slice(0, MAX_ROWS.actions).map((i) => ({
      type: get(`a${i}.type`),
      value: get(`a${i}.value`),
      categoryId: get(`a${i}.categoryId`),
    })),
  };
}

/** The form's row buttons: add_condition, add_action, remove_condition:N, remove_action:N. */
export function applyOp(d: Draft, op: string): Draft {
  const [what, n] = op.split(':');
  const at = Number(n);
  switch (what) {
    case 'add_condition':
      return d.conditions.length < MAX_ROWS.conditions ? { ...d, conditions: [...d.conditions, emptyCondition()] } : d;
    case 'add_action':
      return d.actions.length < MAX_ROWS.actions ? { ...d, actions: [...d.actions, emptyAction()] } : d;
    case 'remove_condition':
      return { ...d, conditions: d.conditions.filter((_, i) => i !== at) };
    case 'remove_action':
      return { ...d, actions: d.actions.filter((_, i) => i !== at) };
    default:
      return d; // 'refresh': show the form again, e.g. after a condition's kind changed
  }
}

function conditionInput(c: CondDraft): Record<string, unknown> {
  const k = kindOf(c.kind);
  if (!k) {
    const [field = c.kind, op = ''] = c.kind.split(':');
    return { field, op, value: c.value };
  }
  const base = { field: k.field, op: k.op };
  switch (k.input) {
    case 'text':
      return { ...base, value: c.value, ...(c.cs && k.field !== 'tag' ? { caseSensitive: true } : {}) };
    case 'decimal':
      return { ...base, value: c.value };
    case 'decimal-range':
    case 'date-range':
      return { ...base, value: c.value, max: c.max };
    case 'direction':
      return { ...base, value: c.value };
    case 'accounts':
    case 'categories':
      return { ...base, value: c.ids };
    case 'none':
      return base;
    case 'pfc':
      return { ...base, value: c.value.toUpperCase() };
    case 'boolean':
      return { ...base, value: c.value === 'true' ? true : c.value === 'false' ? false : c.value };
  }
}

function actionInput(a: ActDraft): Record<string, unknown> {
  const k = actionKindOf(a.type);
  if (!k || k.input === 'none') return { type: a.type };
  if (k.input === 'category') return { type: a.type, categoryId: a.categoryId };
  return { type: a.type, value: a.value };
}

/** What the rule schema gets to validate. */
export function draftToInput(d: Draft): Record<string, unknown> {
  return {
    name: d.name,
    stage: d.stage,
    match: d.match,
    enabled: d.enabled,
    conditions: d.conditions.map(conditionInput),
    actions: d.actions.map(actionInput),
  };
}

export function draftFromRule(r: RuleInput): Draft {
  return {
    name: r.name,
    stage: r.stage,
    match: r.match,
    enabled: r.enabled,
    conditions: r.conditions.map((c: Condition | RuleInput['conditions'][number]) => ({
      kind: `${c.field}:${c.op}`,
      value: Array.isArray(c.value) ? '' : c.value === undefined ? '' : String(c.value),
      max: c.max ?? '',
      cs: c.caseSensitive === true,
      ids: Array.isArray(c.value) ? c.value : [],
    })),
    actions: r.actions.map((a: Action) => ({
      type: a.type,
      value: 'value' in a ? a.value : '',
      categoryId: a.type === 'set_category' ? a.categoryId : '',
    })),
  };
}

const ACTION_MESSAGES: Record<string, string> = {
  categoryId: 'choose a category',
  value: 'enter a value',
};

/** Puts the schema's issues on the rows they concern. */
export function placeErrors(issues: { path: PropertyKey[]; message: string }[]): DraftErrors {
  const out: DraftErrors = { form: [], conditions: {}, actions: {} };
  for (const i of issues) {
    const [where, n, key] = i.path;
    if (where === 'conditions' && typeof n === 'number') out.conditions[n] ??= i.message.replace(/^conditions\[\d+\] \([^)]*\): /, '');
    else if (where === 'actions' && typeof n === 'number') out.actions[n] ??= ACTION_MESSAGES[String(key)] ?? i.message.replace(/^actions\[\d+\] \([^)]*\): /, '');
    else out.form.push(`${where ? `${String(where)}: ` : ''}${i.message}`);
  }
  return out;
}
