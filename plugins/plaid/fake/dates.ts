// Calendar dates as 'YYYY-MM-DD' strings (UTC), the way Plaid sends them.

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The given day of every month between two dates (clamped to short months), inclusive. */
export function monthlyDates(from: string, to: string, dayOfMonth: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  while (isoDate(d) <= to) {
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    const date = isoDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), Math.min(dayOfMonth, lastDay))));
    if (date >= from && date <= to) out.push(date);
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}
