// Typed reads of OFX leaf values: a bad value becomes a reason in `issues` (the caller decides
// whether it fails a row or the file), never an exception.

import { parseAmount } from './amounts.ts';
import { parseOfxDate } from './dates.ts';
import { child, type OfxNode } from './ofx-tree.ts';
import type { RowIssue } from './types.ts';

/** Problems found while reading one record, each at the line of the element at fault. */
export type Issues = Array<{ line: number; reason: string }>;

/** One row error for a record: the first fault's line, every reason (later ones with their line). */
export function issuesToRow(issues: Issues, element?: string): RowIssue {
  const line = issues[0].line;
  const reason = issues.map((i) => (i.line === line ? i.reason : `${i.reason} (line ${i.line})`)).join('; ');
  return element ? { line, reason, element } : { line, reason };
}

/** A required leaf that is absent or empty. */
export function requireLeaf(node: OfxNode | undefined, name: string, issues: Issues, fallbackLine: number): void {
  const el = child(node, name);
  if (!el || !el.text) issues.push({ line: el?.line ?? fallbackLine, reason: `${name} is missing` });
}

/** Reads one OFX value that must be a date; undefined + an issue when it is not. */
export function ofxDate(node: OfxNode | undefined, name: string, issues: Issues): string | undefined {
  const el = child(node, name);
  if (!el || !el.text) return undefined;
  const r = parseOfxDate(el.text);
  if (r.ok) return r.value;
  issues.push({ line: el.line, reason: `${name} '${el.text}' is not a valid date (${r.reason})` });
  return undefined;
}

export function ofxAmount(node: OfxNode | undefined, name: string, issues: Issues): string | undefined {
  const el = child(node, name);
  if (!el || !el.text) return undefined;
  const r = parseAmount(el.text, { decimalSeparator: 'either' });
  if (r.ok) return r.value;
  issues.push({ line: el.line, reason: `${name} ${r.reason}` });
  return undefined;
}

/** Removes keys whose value is undefined, so results compare and serialize cleanly. */
export function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
