// Each condition compiled once to a small function over the working transaction.
import { linearRegex } from './linear-regex.ts';
import type { Condition } from './schema.ts';
import { comparableNumber, toScaled, type Working } from './working.ts';

const isZero = (s: string) => /^-?0*\.?0*$/.test(s);

export type Predicate = (t: Working) => boolean;

/** A stored condition that cannot run (a pattern saved before patterns had to be linear-safe). */
export class UnusableCondition extends Error {
  /** Its index in the rule (set by compileRule). */
  condition = -1;
}

function textPredicate(c: Condition): Predicate {
  const field = c.field as 'payee' | 'description' | 'notes';
  const cs = c.caseSensitive === true;
  const raw = c.value as string;
  if (c.op === 'matches') {
    // The same matches as new RegExp(raw, cs ? 'u' : 'iu'), in time linear in the text.
    const re = linearRegex(raw, cs);
    if (typeof re === 'string') throw new UnusableCondition(re);
    return (t) => {
      const v = t.raw(field);
      return v !== null && re.test(v);
    };
  }
  const needle = cs ? raw : raw.toLowerCase();
  const get = cs ? (t: Working) => t.raw(field) : (t: Working) => t.lc(field);
  switch (c.op) {
    case 'contains':
      return (t) => get(t)?.includes(needle) ?? false;
    case 'equals':
      return (t) => get(t) === needle;
    default:
      return (t) => get(t)?.startsWith(needle) ?? false;
  }
}

export function compileCondition(c: Condition): Predicate {
  switch (c.field) {
    case 'payee':
    case 'description':
    case 'notes':
      return textPredicate(c);
    case 'amount': {
      // Numbers when both sides are exact as numbers (almost always), scaled BigInts otherwise.
      const v = toScaled(c.value as string);
      const vn = comparableNumber(c.value as string);
      const exact = (t: Working) => !Number.isNaN(vn) && !Number.isNaN(t.num);
      if (c.op === 'equals') return (t) => (exact(t) ? t.num === vn : t.cents === v);
      if (c.op === 'greater') return (t) => (exact(t) ? t.num > vn : t.cents > v);
      if (c.op === 'less') return (t) => (exact(t) ? t.num < vn : t.cents < v);
      const max = toScaled(c.max!);
      const maxn = comparableNumber(c.max!);
      return (t) => (exact(t) && !Number.isNaN(maxn) ? t.num >= vn && t.num <= maxn : t.cents >= v && t.cents <= max);
    }
    case 'direction':
      // The sign of the decimal string, zero being neither in nor out.
      return c.value === 'out' ? (t) => t.amount.startsWith('-') && !isZero(t.amount) : (t) => !t.amount.startsWith('-') && !isZero(t.amount);
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
