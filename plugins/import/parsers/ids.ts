// External ids for records that carry none (QIF, CSV, OFX without FITID). The id must be the same
// every time the same file is imported, and two identical rows in one file (two 3.50 coffees on
// the same day) must still get two ids: so hash account + date + amount + payee + the row's
// occurrence index among identical rows, in file order.

import { hash } from 'node:crypto';

export function normalizePayee(payee: string | undefined): string {
  if (!payee) return '';
  const trimmed = payee.trim();
  return /\s\s|[\t\n\r]/.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

/** Counts how often each key has been seen so far; `next` returns 0 for the first sighting. */
export class OccurrenceCounter {
  #seen = new Map<string, number>();

  next(key: string): number {
    const n = this.#seen.get(key) ?? 0;
    this.#seen.set(key, n + 1);
    return n;
  }
}

export function derivedExternalId(
  counter: OccurrenceCounter,
  fields: { account: string; date: string; amount: string; payee?: string },
): string {
  const key = JSON.stringify([fields.account, fields.date, fields.amount, normalizePayee(fields.payee)]);
  const occurrence = counter.next(key);
  return `h1:${hash('sha256', `${key}#${occurrence}`, 'hex').slice(0, 32)}`;
}
