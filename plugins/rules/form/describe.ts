// Rules in words, for the list page: "Payee contains “whole foods”" → "Set category Groceries".
import type { Action, Condition } from '../engine/schema.ts';
import { actionKindOf, kindOf } from './kinds.ts';

export type Names = { accounts: Map<string, string>; categories: Map<string, string> };

const quote = (s: unknown) => `“${String(s)}”`;
const list = (ids: unknown, names: Map<string, string>) =>
  (Array.isArray(ids) ? ids : []).map((id) => names.get(id) ?? 'a deleted item').join(', ');

export function describeCondition(c: Condition, names: Names): string {
  const k = kindOf(`${c.field}:${c.op}`);
  const label = k?.label ?? `${c.field} ${c.op}`;
  switch (k?.input) {
    case 'text':
      return `${label} ${quote(c.value)}${c.caseSensitive ? ' (case-sensitive)' : ''}`;
    case 'decimal':
    case 'pfc':
      return `${label} ${c.value}`;
    case 'decimal-range':
    case 'date-range':
      return `${label} ${c.value} and ${c.max}`;
    case 'direction':
      return c.value === 'out' ? 'Money goes out' : 'Money comes in';
    case 'accounts':
      return `${label} ${list(c.value, names.accounts)}`;
    case 'categories':
      return `${label} ${list(c.value, names.categories)}`;
    case 'boolean':
      return c.value ? 'Is pending' : 'Is not pending';
    default:
      return label;
  }
}

export function describeAction(a: Action, names: Names): string {
  const label = actionKindOf(a.type)?.label ?? a.type;
  if (a.type === 'set_category') return `${label} ${names.categories.get(a.categoryId) ?? '(deleted category: fix this rule)'}`;
  if ('value' in a) return `${label} ${quote(a.value)}`;
  return label;
}

const FIELD_LABELS: Record<string, string> = {
  categoryId: 'Category', payee: 'Payee', tags: 'Tags', notes: 'Notes', excluded: 'Excluded', isTransfer: 'Transfer',
};
export const fieldLabel = (field: string) => FIELD_LABELS[field] ?? field;

/** A before/after value as the page shows it. */
export function displayValue(field: string, v: unknown, names: Names): string {
  if (v === null || v === undefined || v === '') return '—';
  if (field === 'categoryId') return names.categories.get(String(v)) ?? 'unknown category';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}
