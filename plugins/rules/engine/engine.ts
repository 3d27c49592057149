// Runs rules over transactions in memory: each rule compiles once to a predicate and an action
// list, so a million transactions against two hundred rules is a tight loop, not SQL per rule.
// Rules run by stage (pre, default, post) then position; a later rule sees earlier rules' changes.
import { NeedleIndex } from './needle-index.ts';
import { compileCondition, UnusableCondition, type Predicate } from './predicates.ts';
import { requirementsOf, type Requirement } from './requirements.ts';
import type { Action, Condition, Rule } from './schema.ts';
import { Working } from './working.ts';

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

export { toScaled } from './working.ts';

type TextField = 'payee' | 'description' | 'notes';
export type CompiledRule = { id: string; name: string; test: Predicate; actions: Action[]; requires: Requirement[] | null };
export type RuleSet = {
  rules: CompiledRule[];
  /** Per field, every needle some rule requires, with the rules it makes candidates. */
  index: Record<TextField, NeedleIndex<Candidates>>;
  /** Positions of rules with ASCII-only needles on a field: all candidates when that text is not ASCII. */
  asciiRules: Record<TextField, number[]>;
  /** Bit set (bit p of word p >>> 5) of the rules every transaction must try. */
  always: Uint32Array;
  /** Reused per run (runs are synchronous): the bit set of the rules still worth testing, and what
   * markCandidates hands to each needle hit. */
  marking: Marking;
  /** Reused per run: the transaction being worked on. */
  working: Working;
  /** The transaction fields these rules read or change (see fieldsUsed). */
  fields: Set<keyof RuleTxn>;
  /** Enabled rules left out because a condition cannot run (which one: its index). */
  skipped: { id: string; condition: number }[];
};
const TEXT_FIELDS: TextField[] = ['payee', 'description', 'notes'];
/** The rules (positions) a needle makes candidates: on any text, and on ASCII text only (regex needles). */
type Candidates = { any: number[]; ascii: number[] };
/** What marking one field's needle hits needs (one object per rule set, reused: no closure per call). */
type Marking = { marks: Uint32Array; from: number; ascii: boolean };

/** The ledger's limit on a transaction's tags (plugins/ledger/schemas/common.ts). */
export const MAX_TAGS = 50;

const STAGE_ORDER = { pre: 0, default: 1, post: 2 } as const;

export function compileRule(rule: Rule): CompiledRule {
  const preds = rule.conditions.map((c, i) => {
    try {
      return compileCondition(c as Condition);
    } catch (err) {
      if (err instanceof UnusableCondition) err.condition = i;
      throw err;
    }
  });
  const n = preds.length;
  let test: Predicate;
  if (n === 1) test = preds[0];
  else if (rule.match === 'all') test = (t) => { for (let i = 0; i < n; i++) if (!preds[i](t)) return false; return true; };
  else test = (t) => { for (let i = 0; i < n; i++) if (preds[i](t)) return true; return false; };
  return { id: rule.id, name: rule.name, test, actions: rule.actions, requires: requirementsOf(rule) };
}

/** Compiles a rule, or records it as skipped: one stored rule that cannot run must not stop the others. */
function compileOrSkip(rule: Rule, skipped: RuleSet['skipped']): CompiledRule[] {
  try {
    return [compileRule(rule)];
  } catch (err) {
    if (!(err instanceof UnusableCondition)) throw err;
    skipped.push({ id: rule.id, condition: err.condition });
    return [];
  }
}

/**
 * Compiles enabled rules in run order (a rule with a condition that cannot run is left out, as if
 * disabled: see `skipped`). `tryEvery` leaves out the needle shortcut (every rule is
 * tested on every transaction): the reference the shortcut is checked against.
 */
export function compileRules(rules: Rule[], opts: { tryEvery?: boolean } = {}): RuleSet {
  const skipped: RuleSet['skipped'] = [];
  const enabled = rules.filter((r) => r.enabled);
  const compiled = enabled
    .sort((a, b) => STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] || a.position - b.position)
    .flatMap((r) => compileOrSkip(r, skipped));
  const index = {} as RuleSet['index'];
  const asciiRules = {} as RuleSet['asciiRules'];
  for (const f of TEXT_FIELDS) {
    index[f] = new NeedleIndex();
    asciiRules[f] = [];
  }
  // Candidates are bit sets, not one flag per rule: a run visits only the set bits (a few dozen of
  // 200 rules), not every position.
  const words = (compiled.length + 31) >>> 5;
  const always = new Uint32Array(words);
  compiled.forEach((r, i) => {
    if (!r.requires || opts.tryEvery) return void mark(always, i);
    for (const req of r.requires) {
      const entry = index[req.field].entry(req.needle, () => ({ any: [], ascii: [] }));
      (req.asciiOnly ? entry.ascii : entry.any).push(i);
      if (req.asciiOnly && !asciiRules[req.field].includes(i)) asciiRules[req.field].push(i);
    }
  });
  return { rules: compiled, index, asciiRules, always, marking: { marks: new Uint32Array(words), from: 0, ascii: false },
    working: new Working(), fields: fieldsUsed(enabled), skipped };
}

const mark = (bits: Uint32Array, p: number) => void (bits[p >>> 5] |= 1 << (p & 31));

function markHit(c: Candidates, m: Marking): void {
  for (const p of c.any) if (p >= m.from) mark(m.marks, p);
  if (m.ascii) for (const p of c.ascii) if (p >= m.from) mark(m.marks, p);
}

/** Marks (from position `from` on) the rules worth testing against the transaction's current text. */
function markCandidates(set: RuleSet, t: Working, from: number): void {
  const marks = set.marking.marks;
  const first = from >>> 5;
  // Words before `from`'s are left as they are: the run has gone past them.
  marks[first] = set.always[first] & (-1 << (from & 31));
  for (let w = first + 1; w < marks.length; w++) marks[w] = set.always[w];
  const m = set.marking;
  m.from = from;
  for (const f of TEXT_FIELDS) {
    if (set.index[f].size === 0) continue;
    // Regex needles are not trusted on non-ASCII text: all those rules stay candidates. (Only a
    // field some regex needle is about needs the ASCII test.)
    const regexRules = set.asciiRules[f];
    m.ascii = false;
    if (regexRules.length > 0) {
      m.ascii = t.ascii(f);
      if (!m.ascii) for (const p of regexRules) if (p >= from) mark(marks, p);
    }
    set.index[f].each(t.lc(f), markHit, m);
  }
}

/**
 * Applies the rules to one transaction. What the user set by hand is never overwritten: a category
 * chosen by the user stays, and a note is only written where there is none.
 */
export function runRules(set: RuleSet, original: RuleTxn): RuleOutcome {
  const t = set.working.load(original);
  const change: RuleChange = {};
  const fired: string[] = [];
  const n = set.rules.length;
  if (n === 0) return { change, fired };
  const marks = set.marking.marks;
  markCandidates(set, t, 0);
  let stop = false;
  // Visits the set bits in order: word by word, lowest bit first.
  for (let word = 0; word < marks.length && !stop; word++) for (let bits = marks[word]; bits !== 0;) {
    const lowest = bits & -bits;
    bits ^= lowest;
    const position = (word << 5) | (31 - Math.clz32(lowest));
    const rule = set.rules[position];
    if (!rule.test(t)) continue;
    let textChanged = false;
    fired.push(rule.id);
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
            t.lcPayee = a.value.toLowerCase();
            textChanged = true;
          }
          break;
        case 'add_tag':
          // A full list (the ledger's limit) stays as it is: the tag is skipped, the rest applies.
          if (t.tags.length < MAX_TAGS && !t.tags.some((x) => x.toLowerCase() === a.value.toLowerCase())) {
            t.tags = [...t.tags, a.value];
            change.tags = t.tags;
          }
          break;
        case 'set_note':
          if (!t.notes) {
            t.notes = change.notes = a.value;
            t.lcNotes = a.value.toLowerCase();
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
    // A renamed payee or new note can make later rules match (or not): recompute what follows (in
    // this word, the bits above `position`).
    if (textChanged && position + 1 < n) {
      markCandidates(set, t, position + 1);
      bits = marks[word] & ~((2 << (position & 31)) - 1);
    }
  }
  // A later rule may have put a value back (renamed the payee back, chosen the original category):
  // report only what really differs, so "would change" counts match what a write changes.
  if (change.payee !== undefined && change.payee === original.payee) delete change.payee;
  if (change.categoryId !== undefined && change.categoryId === original.categoryId && original.categorySource === 'rule') delete change.categoryId;
  return { change, fired };
}

export const hasChanges = (c: RuleChange) => {
  for (const _ in c) return true;
  return false;
};

/**
 * The transaction fields a rule set can read or change: a scan only needs to fetch these (plus id
 * and date, which order it, and amount and payee, which show which transaction a preview means).
 * Fields outside the set are never looked at by these rules.
 */
export function fieldsUsed(rules: Rule[]): Set<keyof RuleTxn> {
  const used = new Set<keyof RuleTxn>(['id', 'date', 'amount', 'payee']);
  const byCondition: Record<string, (keyof RuleTxn)[]> = {
    payee: ['payee'], description: ['description'], notes: ['notes'], amount: ['amount'], direction: ['amount'],
    account: ['accountId'], category: ['categoryId'], provider_category: ['pfcPrimary', 'pfcDetailed'], date: ['date'],
    pending: ['pending'], tag: ['tags'],
  };
  const byAction: Record<string, (keyof RuleTxn)[]> = {
    set_category: ['categoryId', 'categorySource'], rename_payee: ['payee'], add_tag: ['tags'], set_note: ['notes'],
    exclude: ['excluded'], mark_transfer: ['isTransfer'], stop: [],
  };
  for (const r of rules) {
    if (!r.enabled) continue;
    for (const c of r.conditions) for (const f of byCondition[c.field] ?? []) used.add(f);
    for (const a of r.actions) for (const f of byAction[a.type] ?? []) used.add(f);
  }
  return used;
}
