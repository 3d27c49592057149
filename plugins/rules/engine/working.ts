// The transaction as the engine works on it during one run: the fields rules read and change,
// lower-cased text computed once, and the amount as an exact scaled integer computed only if a
// rule asks (most rules look at text, and BigInt parsing is the costliest step per transaction).
import type { RuleTxn } from './engine.ts';

// Amounts compare as integers of 10^-SCALE units: exact for every amount the ledger stores (at most
// 10 decimals), and far cheaper than comparing decimal strings.
const SCALE = 10;

export function toScaled(s: string): bigint {
  const neg = s.startsWith('-');
  const [int, frac = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(int + frac.padEnd(SCALE, '0').slice(0, SCALE));
  return neg ? -v : v;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The amount as a JS number when that is exact for comparing: a decimal with at most 15 digits
 * converts to the nearest double, and distinct such decimals never share one, so <, > and ===
 * between two of them agree with the decimals. Otherwise NaN (compare the scaled BigInts instead).
 */
export function comparableNumber(s: string): number {
  // Trailing zeros after the point are not significant ("-12.5000" has 3 digits).
  let end = s.length;
  if (s.includes('.')) while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  let digits = 0;
  for (let i = 0; i < end; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) digits++;
  return digits <= 15 ? Number(s) : NaN;
}

/** One per rule set, reloaded for each transaction (runs are synchronous): no object per transaction. */
export class Working {
  id = '';
  accountId = '';
  date = '';
  amount = '';
  payee: string | null = null;
  description: string | null = null;
  notes: string | null = null;
  categoryId: string | null = null;
  categorySource: RuleTxn['categorySource'] = null;
  pfcPrimary: string | null = null;
  pfcDetailed: string | null = null;
  pending = false;
  tags: string[] = [];
  excluded = false;
  isTransfer = false;
  lcPayee: string | null = null;
  lcDescription: string | null = null;
  lcNotes: string | null = null;
  #cents: bigint | undefined;
  #num: number | undefined;

  /** Starts over on transaction `t`. */
  load(t: RuleTxn): this {
    this.id = t.id;
    this.accountId = t.accountId;
    this.date = t.date;
    this.amount = t.amount;
    this.payee = t.payee;
    this.description = t.description;
    this.notes = t.notes;
    this.categoryId = t.categoryId;
    this.categorySource = t.categorySource;
    this.pfcPrimary = t.pfcPrimary;
    this.pfcDetailed = t.pfcDetailed;
    this.pending = t.pending;
    this.tags = t.tags;
    this.excluded = t.excluded;
    this.isTransfer = t.isTransfer;
    this.lcPayee = t.payee === null ? null : t.payee.toLowerCase();
    this.lcDescription = t.description === null ? null : t.description.toLowerCase();
    this.lcNotes = t.notes === null ? null : t.notes.toLowerCase();
    this.#cents = undefined;
    this.#num = undefined;
    return this;
  }

  get cents(): bigint {
    return (this.#cents ??= toScaled(this.amount));
  }

  /** See comparableNumber: exact for comparisons, or NaN. */
  get num(): number {
    return (this.#num ??= comparableNumber(this.amount));
  }

  lc(field: 'payee' | 'description' | 'notes'): string | null {
    return field === 'payee' ? this.lcPayee : field === 'description' ? this.lcDescription : this.lcNotes;
  }

  raw(field: 'payee' | 'description' | 'notes'): string | null {
    return field === 'payee' ? this.payee : field === 'description' ? this.description : this.notes;
  }

  /** Whether the raw text is plain ASCII (where a lower-cased substring test is exact for any regex). */
  ascii(field: 'payee' | 'description' | 'notes'): boolean {
    const v = this.raw(field);
    return v === null || ASCII.test(v);
  }
}
