// Comparable forms of what duplicate detection compares: amounts as exact canonical decimals (the
// ledger's numeric text keeps the scale it was written with, '-10.00' vs '-10'), dates as day numbers.

/** '-010.500' → '-10.5', '0.00' → '0', '12' → '12'. Exact: string work, never a float. */
export function canonicalAmount(amount: string): string {
  let s = amount.trim();
  let negative = false;
  if (s.startsWith('-')) { negative = true; s = s.slice(1); } else if (s.startsWith('+')) s = s.slice(1);
  let [int, frac = ''] = s.split('.');
  int = int.replace(/^0+(?=\d)/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return negative && body !== '0' ? `-${body}` : body;
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date. */
export function dayNumber(date: string): number {
  return Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000);
}

/** 'YYYY-MM-DD' shifted by n days. */
export function addDays(date: string, n: number): string {
  return new Date((dayNumber(date) + n) * 86_400_000).toISOString().slice(0, 10);
}
