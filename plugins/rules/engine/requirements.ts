// What text a rule cannot fire without. A transaction whose text lacks every such substring cannot
// match, so the run never tests the rule (see candidates in engine.ts): with 200 rules, most of
// them about payees, a transaction is tested against a handful instead of all of them.
//
// - "all" rules need any one of their text conditions: contains/equals/starts with a value, or a
//   regex beginning with a literal ("^uber eats" needs "uber eats"; "^blue (taxi|parking)" needs
//   "blue taxi" or "blue parking").
// - "any" rules need one of their conditions to hold: they are indexed only when every condition
//   is such a text condition (any of the needles makes the rule a candidate).
// Needles are lower-case and matched against lower-cased text. A needle taken from a regex is only
// trusted on ASCII text (a case-insensitive regex folds Unicode case, e.g. "ſ" ~ "s", which
// lower-casing does not); on other text such rules are always tested. Case-sensitive conditions
// give a needle only when their value is ASCII.
import type { Condition, Rule } from './schema.ts';

export type TextField = 'payee' | 'description' | 'notes';
export type Requirement = { field: TextField; needle: string; asciiOnly: boolean };

const TEXT = new Set(['payee', 'description', 'notes']);
const ASCII = /^[\x00-\x7f]*$/;
const MIN_NEEDLE = 3;

/** True if `src` has a `|` outside any group or class: then no literal is required. */
function topLevelAlternation(src: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

const LITERAL = /[A-Za-z0-9 _,#&'":;!%@=~`<>/-]/;

/** The literal text a regex starts with, and where it stops (`end`: the next character to read). */
function literalStart(src: string): { lit: string; end: number; quantified: boolean } {
  let i = src.startsWith('^') ? 1 : 0;
  let lit = '';
  for (; i < src.length && LITERAL.test(src[i]); i++) lit += src[i];
  // A quantifier after the literal makes its last character optional.
  const quantified = i < src.length && /[?*{+]/.test(src[i]);
  return { lit: quantified && src[i] !== '+' ? lit.slice(0, -1) : lit, end: i, quantified };
}

/** The literal text a regex starts with ("^blue (taxi|parking)" → "blue "), if long enough to help. */
export function regexLiteral(src: string): string | null {
  if (topLevelAlternation(src)) return null;
  const { lit } = literalStart(src);
  return lit.length >= MIN_NEEDLE ? lit.toLowerCase() : null;
}

/**
 * The texts a regex cannot match without: its literal start, carried into a group of literal
 * alternatives right after it when there is one ("^blue (taxi|parking)" → "blue taxi", "blue
 * parking"; "(uber|lyft) trip" → "uber", "lyft"), so the rule is only tested on transactions that
 * hold one of them. Null when nothing long enough is required.
 */
export function regexNeedles(src: string): string[] | null {
  if (topLevelAlternation(src)) return null;
  const { lit, end, quantified } = literalStart(src);
  const plain = lit.length >= MIN_NEEDLE ? [lit.toLowerCase()] : null;
  if (quantified || src[end] !== '(') return plain;
  const open = src.startsWith('(?:', end) ? end + 3 : end + 1;
  const close = src.indexOf(')', open);
  if (close < 0) return plain;
  const alternatives = src.slice(open, close).split('|');
  // Only plain literal alternatives, and a group that must occur (no ?, *, {0,} after it).
  if (!alternatives.every((a) => a.length > 0 && [...a].every((ch) => LITERAL.test(ch))) || /[?*{]/.test(src[close + 1] ?? '')) return plain;
  const needles = alternatives.map((a) => (lit + a).toLowerCase());
  return needles.every((n) => n.length >= MIN_NEEDLE) ? needles : plain;
}

/** The needles one of which a condition cannot hold without; null if it needs no text. */
function requirementOf(c: Condition): Requirement[] | null {
  if (!TEXT.has(c.field)) return null;
  const field = c.field as TextField;
  const value = String(c.value);
  if (c.op === 'matches') return regexNeedles(value)?.map((needle) => ({ field, needle, asciiOnly: true })) ?? null;
  // Case-sensitive: an ASCII value found in the text is found in the lower-cased text too.
  if (c.caseSensitive && !ASCII.test(value)) return null;
  return value.length ? [{ field, needle: value.toLowerCase(), asciiOnly: false }] : null;
}

const shortest = (rs: Requirement[]) => Math.min(...rs.map((r) => r.needle.length));

/** The needles any one of which a transaction must contain for `rule` to be able to fire; null: always test it. */
export function requirementsOf(rule: Rule): Requirement[] | null {
  const reqs = rule.conditions.map((c) => requirementOf(c as Condition));
  if (rule.match === 'all') {
    // One necessary condition's needles are enough; prefer those trusted on any text, then the longest.
    const usable = reqs.filter((r): r is Requirement[] => r !== null)
      .sort((a, b) => Number(a[0].asciiOnly) - Number(b[0].asciiOnly) || shortest(b) - shortest(a));
    return usable.length ? usable[0] : null;
  }
  return reqs.every((r) => r !== null) ? (reqs as Requirement[][]).flat() : null;
}
