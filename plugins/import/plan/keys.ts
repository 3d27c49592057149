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

// Day arithmetic by the proleptic Gregorian calendar, in integers (H. Hinnant's days_from_civil):
// Date.UTC reads years 0-99 as 1900-1999 and toISOString writes years past 9999 as '+010000'.

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date, for any year 0000-9999. */
export function dayNumber(date: string): number {
  const m = Number(date.slice(5, 7)), d = Number(date.slice(8, 10));
  const y = Number(date.slice(0, 4)) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The 'YYYY-MM-DD' date of a day number (inverse of dayNumber). */
export function dateOfDay(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) throw new RangeError(`day ${day} is outside the years 0000-9999`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** 'YYYY-MM-DD' shifted by n days. */
export function addDays(date: string, n: number): string {
  return dateOfDay(dayNumber(date) + n);
}
