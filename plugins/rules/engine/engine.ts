// Runs rules over transactions in memory: each rule compiles once to a predicate and an action
// list, so a million transactions against two hundred rules is a tight loop, not SQL per rule.
// Rules run by stage (pre, default, post) then position; a later rule sees earlier rules' changes.
import { compareDecimal } from './decimal.ts';
import type { Action, Condition, Rule } from './schema.ts';

export type RuleTxn = {
  id: string;
  accountId: string;
  date: string; // YYYY-MM-DD
  amount: string; // exact decimal, negative = money out
  payee: string | null;
  description: string | null;
  notes: string | null;
  categoryId: string | null;
  categorySource: 'user' | 'rule' | 'provider' | null;
  pfcPrimary: string | null;
  pfcDetailed: string | null;
  pending: boolean;
  tags: string[];
  excluded: boolean;
  isTransfer: boolean;
};

export type RuleChange = Partial<Pick<RuleTxn, 'categoryId' | 'payee' | 'tags' | 'notes' | 'excluded' | 'isTransfer'>>;
export type RuleOutcome = { change: RuleChange; fired: string[] };

type Predicate = (t: RuleTxn) => boolean;
export type CompiledRule = { id: string; name: string; test: Predicate; actions: Action[] };

const STAGE_ORDER = { pre: 0, default: 1, post: 2 } as const;

function textPredicate(c: Condition): Predicate {
  const field = c.field as 'payee' | 'description' | 'notes';
  const cs = c.caseSensitive === true;
  const raw = c.value as string;
  if (c.op === 'matches') {
    const re = new RegExp(raw, cs ? 'u' : 'iu');
    return (t) => t[field] !== null && re.test(t[field]!);
  }
  const needle = cs ? raw : raw.toLowerCase();
  const get = cs ? (t: RuleTxn) => t[field] : (t: RuleTxn) => t[field]?.toLowerCase() ?? null;
  switch (c.op) {
    case 'contains':
      return (t) => get(t)?.includes(needle) ?? false;
    case 'equals':
      return (t) => get(t) === needle;
    default:
      return (t) => get(t)?.startsWith(needle) ?? false;
  }
}

function compileCondition(c: Condition): Predicate {
  switch (c.field) {
    case 'payee':
    case 'description':
    case 'notes':
      return textPredicate(c);
    case 'amount': {
      const v = c.value as string;
      if (c.op === 'equals') return (t) => compareDecimal(t.amount, v) === 0;
      if (c.op === 'greater') return (t) => compareDecimal(t.amount, v) > 0;
      if (c.op === 'less') return (t) => compareDecimal(t.amount, v) < 0;
      const max = c.max!;
      return (t) => compareDecimal(t.amount, v) >= 0 && compareDecimal(t.amount, max) <= 0;
    }
    case 'direction':
      return c.value === 'out' ? (t) => t.amount.startsWith('-') : (t) => !t.amount.startsWith('-') && compareDecimal(t.amount, '0') !== 0;
    case 'account': {
      const ids = new Set(c.value as string[]);
      return c.op === 'is' ? (t) => ids.has(t.accountId) : (t) => !ids.has(t.accountId);
    }
    case 'category': {
      if (c.op === 'is_empty') return (t) => t.categoryId === null;
      const ids = new Set(c.value as string[]);
      return (t) => t.categoryId !== null && ids.has(t.categoryId);
    }
    case 'provider_category': {
      const v = c.value as string;
      return (t) => t.pfcDetailed === v || t.pfcPrimary === v;
    }
    case 'date': {
      const from = c.value as string;
      const to = c.max!;
      return (t) => t.date >= from && t.date <= to;
    }
    case 'pending':
      return c.value ? (t) => t.pending : (t) => !t.pending;
    case 'tag': {
      const tag = (c.value as string).toLowerCase();
      return (t) => t.tags.some((x) => x.toLowerCase() === tag);
    }
  }
}

export function compileRule(rule: Rule): CompiledRule {
  const preds = rule.conditions.map((c) => compileCondition(c as Condition));
  const test: Predicate = rule.match === 'all' ? (t) => preds.every((p) => p(t)) : (t) => preds.some((p) => p(t));
  return { id: rule.id, name: rule.name, test, actions: rule.actions };
}

/** Compiles enabled rules in run order. */
export function compileRules(rules: Rule[]): CompiledRule[] {
  return rules
    .filter((r) => r.enabled)
    .sort((a, b) => STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] || a.position - b.position)
    .map(compileRule);
}

/**
 * Applies the rules to one transaction. What the user set by hand is never overwritten: a category
 * chosen by the user stays, and a note is only written where there is none.
 */
export function runRules(rules: CompiledRule[], original: RuleTxn): RuleOutcome {
  const t: RuleTxn = { ...original, tags: [...original.tags] };
  const change: RuleChange = {};
  const fired: string[] = [];
  for (const rule of rules) {
    if (!rule.test(t)) continue;
    fired.push(rule.id);
    let stop = false;
    for (const a of rule.actions) {
      switch (a.type) {
        case 'set_category':
          if (t.categorySource !== 'user' && t.categoryId !== a.categoryId) {
            t.categoryId = change.categoryId = a.categoryId;
            t.categorySource = 'rule';
          }
          break;
        case 'rename_payee':
          if (t.payee !== a.value) t.payee = change.payee = a.value;
          break;
        case 'add_tag':
          if (!t.tags.some((x) => x.toLowerCase() === a.value.toLowerCase())) {
            t.tags.push(a.value);
            change.tags = [...t.tags];
          }
          break;
        case 'set_note':
          if (!t.notes) t.notes = change.notes = a.value;
          break;
        case 'exclude':
          if (!t.excluded) t.excluded = change.excluded = true;
          break;
        case 'mark_transfer':
          if (!t.isTransfer) t.isTransfer = change.isTransfer = true;
          break;
        case 'stop':
          stop = true;
          break;
      }
    }
    if (stop) break;
  }
  return { change, fired };
}

export const hasChanges = (c: RuleChange) => Object.keys(c).length > 0;
