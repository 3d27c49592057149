// What the rule form offers: each condition is one "field + operator" choice (so the form works
// without JavaScript: no dependent selects), and each choice says what kind of value it takes.
export type ValueInput =
  | 'text' // payee/description/notes/tag
  | 'decimal' // one amount
  | 'decimal-range' // amount between
  | 'direction' // in / out
  | 'accounts' // a list of accounts
  | 'categories' // a list of categories
  | 'none' // category is empty
  | 'pfc' // provider category code
  | 'date-range' // date between
  | 'boolean'; // pending yes/no

export type Kind = { kind: string; field: string; op: string; label: string; input: ValueInput };

const text = (field: string, name: string): Kind[] => [
  { kind: `${field}:contains`, field, op: 'contains', label: `${name} contains`, input: 'text' },
  { kind: `${field}:equals`, field, op: 'equals', label: `${name} is exactly`, input: 'text' },
  { kind: `${field}:starts_with`, field, op: 'starts_with', label: `${name} starts with`, input: 'text' },
  { kind: `${field}:matches`, field, op: 'matches', label: `${name} matches regex`, input: 'text' },
];

export const KINDS: Kind[] = [
  ...text('payee', 'Payee'),
  ...text('description', 'Description'),
  ...text('notes', 'Notes'),
  { kind: 'amount:equals', field: 'amount', op: 'equals', label: 'Amount is', input: 'decimal' },
  { kind: 'amount:greater', field: 'amount', op: 'greater', label: 'Amount is more than', input: 'decimal' },
  { kind: 'amount:less', field: 'amount', op: 'less', label: 'Amount is less than', input: 'decimal' },
  { kind: 'amount:between', field: 'amount', op: 'between', label: 'Amount is between', input: 'decimal-range' },
  { kind: 'direction:is', field: 'direction', op: 'is', label: 'Money goes', input: 'direction' },
  { kind: 'account:is', field: 'account', op: 'is', label: 'Account is one of', input: 'accounts' },
  { kind: 'account:is_not', field: 'account', op: 'is_not', label: 'Account is not one of', input: 'accounts' },
  { kind: 'category:is', field: 'category', op: 'is', label: 'Category is one of', input: 'categories' },
  { kind: 'category:is_empty', field: 'category', op: 'is_empty', label: 'Category is empty', input: 'none' },
  { kind: 'provider_category:is', field: 'provider_category', op: 'is', label: 'Provider category is', input: 'pfc' },
  { kind: 'date:between', field: 'date', op: 'between', label: 'Date is between', input: 'date-range' },
  { kind: 'pending:is', field: 'pending', op: 'is', label: 'Pending is', input: 'boolean' },
  { kind: 'tag:has', field: 'tag', op: 'has', label: 'Has tag', input: 'text' },
];

export const kindOf = (kind: string) => KINDS.find((k) => k.kind === kind);

export type ActionKind = { type: string; label: string; input: 'category' | 'text' | 'none' };

export const ACTION_KINDS: ActionKind[] = [
  { type: 'set_category', label: 'Set category', input: 'category' },
  { type: 'rename_payee', label: 'Rename payee to', input: 'text' },
  { type: 'add_tag', label: 'Add tag', input: 'text' },
  { type: 'set_note', label: 'Set note (if empty)', input: 'text' },
  { type: 'exclude', label: 'Exclude from reports and budgets', input: 'none' },
  { type: 'mark_transfer', label: 'Mark as transfer', input: 'none' },
  { type: 'stop', label: 'Stop processing further rules', input: 'none' },
];

export const actionKindOf = (type: string) => ACTION_KINDS.find((a) => a.type === type);
