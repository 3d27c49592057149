// Whether two payee texts plausibly name the same counterparty: banks write the same merchant as
// "POS 4411 STARBUCKS #123 SEATTLE", "Starbucks" or "STARBUCKS COFFEE". Used only together with an
// equal amount and a near date, so it errs on the side of "similar".

/** Lower-case words of letters and digits, accents folded; card numbers and store numbers dropped. */
export function payeeWords(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2 && !/^\d+$/.test(w));
}

// Words that say how a payment was made, not who was paid.
const NOISE = new Set(['pos', 'purchase', 'debit', 'credit', 'card', 'payment', 'paiement', 'ach', 'visa', 'mastercard', 'the', 'www', 'com', 'inc', 'ltd', 'llc', 'gmbh']);

export type PayeeKey = { compact: string; words: Set<string> };

export function payeeKey(text: string | null | undefined): PayeeKey | null {
  const words = payeeWords(text);
  if (!words.length) return null;
  const meaningful = words.filter((w) => !NOISE.has(w));
  const kept = meaningful.length ? meaningful : words;
  return { compact: kept.join(''), words: new Set(kept.filter((w) => w.length >= 3)) };
}

/**
 * Similar when either side has no payee (amount and date decide), when one contains the other
 * ("starbucks" in "starbuckscoffee"), or when half the words of the shorter one are in the other.
 */
export function similarPayees(a: PayeeKey | null, b: PayeeKey | null): boolean {
  if (!a || !b) return true;
  if (a.compact === b.compact) return true;
  const [short, long] = a.compact.length <= b.compact.length ? [a, b] : [b, a];
  if (short.compact.length >= 3 && long.compact.includes(short.compact)) return true;
  const fewer = a.words.size <= b.words.size ? a.words : b.words;
  const more = fewer === a.words ? b.words : a.words;
  if (!fewer.size) return false;
  let common = 0;
  for (const w of fewer) if (more.has(w)) common++;
  return common * 2 >= fewer.size;
}
