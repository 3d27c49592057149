// A rule's "matches" pattern runs on RE2 (the re2js port), whose matching time is linear in the
// text: a pattern such as ^(a+)+$ would take exponential time on "aaaa…!" in JavaScript's own
// backtracking engine, and rules run on every created or imported transaction. RE2 refuses what it
// cannot run in linear time (backreferences, lookahead), so such a pattern is refused when a rule
// is saved. The needle shortcut (requirements.ts) still reads the pattern's text.
import { RE2JS } from 're2js';

export type LinearRegex = { test(text: string): boolean };

const cache = new Map<string, LinearRegex | string>();

/** Compiles a rule's pattern (case-insensitive unless `caseSensitive`), or says why it cannot run. */
export function linearRegex(src: string, caseSensitive: boolean): LinearRegex | string {
  const key = `${caseSensitive ? 1 : 0}${src}`;
  let out = cache.get(key);
  if (out !== undefined) return out;
  out = compile(src, caseSensitive);
  if (cache.size >= 1000) cache.clear();
  cache.set(key, out);
  return out;
}

function compile(src: string, caseSensitive: boolean): LinearRegex | string {
  try {
    new RegExp(src, 'u');
  } catch (err) {
    return `invalid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  try {
    return RE2JS.compile(src, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    return `cannot be run in linear time (no backreferences or lookaround): ${(err as Error).message}`;
  }
}
