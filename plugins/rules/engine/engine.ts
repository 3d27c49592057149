// Runs rules over transactions in memory: each rule compiles once to a predicate and an action
// list, so a million transactions against two hundred rules is a tight loop, not SQL per rule.
// Rules run by stage (pre, default, post) then position; a later rule sees earlier rules' changes.
import { NeedleIndex } from './needle-index.ts';
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

/** The transaction as rules see it: lower-cased text and a scaled amount computed once per run. */
type Working = RuleTxn & { lc: { payee: string | null; description: string | null; notes: string | null }; cents: bigint };
type Predicate = (t: Working) => boolean;

// Amounts compare as integers of 10^-SCALE units: exact, and far cheaper than decimal strings.
const SCALE = 6;
export function toScaled(s: string): bigint {
  const neg = s.startsWith('-');
  const [int, frac = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(int + frac.padEnd(SCALE, '0').slice(0, SCALE));
  return neg ? -v : v;
}
type TextField = 'payee' | 'description' | 'notes';
/** A substring the rule cannot fire without (from an "all" rule's text condition): lets the run skip it cheaply. */
type Requirement = { field: TextField; needle: string };
export type CompiledRule = { id: string; name: string; test: Predicate; actions: Action[]; requires: Requirement | null };
export type RuleSet = {
  rules: CompiledRule[];
  index: Record<TextField, NeedleIndex>;
  /** Positions of rules that need a given needle in a field, and of rules every transaction must try. */
  byNeedle: Record<TextField, Map<string, number[]>>;
  always: number[];
};
const TEXT_FIELDS: TextField[] = ['payee', 'description', 'notes'];

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
  const get = cs ? (t: Working) => t[field] : (t: Working) => t.lc[field];
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
      const v = toScaled(c.value as string);
      if (c.op === 'equals') return (t) => t.cents === v;
      if (c.op === 'greater') return (t) => t.cents > v;
      if (c.op === 'less') return (t) => t.cents < v;
      const max = toScaled(c.max!);
      return (t) => t.cents >= v && t.cents <= max;
    }
    case 'direction':
      return c.value === 'out' ? (t) => t.cents < 0n : (t) => t.cents > 0n;
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

function requirementOf(rule: Rule): Requirement | null {
  if (rule.match !== 'all') return null;
  for (const c of rule.conditions) {
    if (['payee', 'description', 'notes'].includes(c.field) && ['contains', 'equals', 'starts_with'].includes(c.op)) {
      return { field: c.field as TextField, needle: String(c.value).toLowerCase() };
    }
  }
  return null;
}

export function compileRule(rule: Rule): CompiledRule {
  const preds = rule.conditions.map((c) => compileCondition(c as Condition));
  const n = preds.length;
  let test: Predicate;
  if (n === 1) test = preds[0];
  else if (rule.match === 'all') test = (t) => { for (let i = 0; i < n; i++) if (!preds[i](t)) return false; return true; };
  else test = (t) => { for (let i = 0; i < n; i++) if (preds[i](t)) return true; return false; };
  return { id: rule.id, name: rule.name, test, actions: rule.actions, requires: requirementOf(rule) };
}

/** Compiles enabled rules in run order. */
export function compileRules(rules: Rule[]): RuleSet {
  const compiled = rules
    .filter((r) => r.enabled)
    .sort((a, b) => STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] || a.position - b.position)
    .map(compileRule);
  const index = { payee: new NeedleIndex(), description: new NeedleIndex(), notes: new NeedleIndex() };
  const byNeedle = { payee: new Map(), description: new Map(), notes: new Map() } as RuleSet['byNeedle'];
  const always: number[] = [];
  compiled.forEach((r, i) => {
    if (!r.requires) return void always.push(i);
    index[r.requires.field].add(r.requires.needle);
    const list = byNeedle[r.requires.field].get(r.requires.needle);
    if (list) list.push(i);
    else byNeedle[r.requires.field].set(r.requires.needle, [i]);
  });
  return { rules: compiled, index, byNeedle, always };
}

/** Positions (ascending) of the rules worth testing against this transaction's current text. */
function candidates(set: RuleSet, t: Working): number[] {
  const out = [...set.always];
  for (const f of TEXT_FIELDS) {
    if (set.index[f].size === 0) continue;
    for (const needle of set.index[f].found(t.lc[f])) out.push(...set.byNeedle[f].get(needle)!);
  }
  return out.length > set.always.length ? out.sort((a, b) => a - b) : out;
}

/**
 * Applies the rules to one transaction. What the user set by hand is never overwritten: a category
 * chosen by the user stays, and a note is only written where there is none.
 */
export function runRules(set: RuleSet, original: RuleTxn): RuleOutcome {
  const t: Working = {
    ...original,
    tags: [...original.tags],
    lc: { payee: original.payee?.toLowerCase() ?? null, description: original.description?.toLowerCase() ?? null, notes: original.notes?.toLowerCase() ?? null },
    cents: toScaled(original.amount),
  };
  const change: RuleChange = {};
  const fired: string[] = [];
  let todo = candidates(set, t);
  for (let k = 0; k < todo.length; k++) {
    const position = todo[k];
    const rule = set.rules[position];
    if (!rule.test(t)) continue;
    let textChanged = false;
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
          if (t.payee !== a.value) {
            t.payee = change.payee = a.value;
            t.lc.payee = a.value.toLowerCase();
            textChanged = true;
          }
          break;
        case 'add_tag':
          if (!t.tags.some((x) => x.toLowerCase() === a.value.toLowerCase())) {
            t.tags.push(a.value);
            change.tags = [...t.tags];
          }
          break;
        case 'set_note':
          if (!t.notes) {
            t.notes = change.notes = a.value;
            t.lc.notes = a.value.toLowerCase();
            textChanged = true;
          }
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
    // A renamed payee or new note can make later rules match (or not): recompute what follows.
    if (textChanged) {
      todo = candidates(set, t).filter((p) => p > position);
      k = -1;
    }
  }
  // A later rule may have put a value back (renamed the payee back, chosen the original category):
  // report only what really differs, so "would change" counts match what a write changes.
  if (change.payee !== undefined && change.payee === original.payee) delete change.payee;
  if (change.categoryId !== undefined && change.categoryId === original.categoryId && original.categorySource === 'rule') delete change.categoryId;
  return { change, fired };
}

export const hasChanges = (c: RuleChange) => Object.keys(c).length > 0;
