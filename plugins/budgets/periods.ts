// Budget periods as calendar dates (Temporal.PlainDate, inclusive). A monthly, quarterly or annual
// budget recurs from the period it starts in; a custom budget is the one span it names. "Today" is
// always taken in the household's time zone, so a period turns over at the household's midnight.

export type PeriodType = 'monthly' | 'quarterly' | 'annual' | 'custom';

export type PeriodSpec =
  | { type: 'monthly'; year: number; month: number }
  | { type: 'quarterly'; year: number; quarter: number }
  | { type: 'annual'; year: number }
  | { type: 'custom'; startDate: string; endDate: string };

export type Period = { index: number; start: Temporal.PlainDate; end: Temporal.PlainDate };

const MONTHS: Record<Exclude<PeriodType, 'custom'>, number> = { monthly: 1, quarterly: 3, annual: 12 };

function firstDay(spec: Exclude<PeriodSpec, { type: 'custom' }>): Temporal.PlainDate {
  const month = spec.type === 'monthly' ? spec.month : spec.type === 'quarterly' ? (spec.quarter - 1) * 3 + 1 : 1;
  return Temporal.PlainDate.from({ year: spec.year, month, day: 1 });
}

/** The index-th period from the budget's first (0 = first; negative = before it). */
export function periodAt(spec: PeriodSpec, index: number): Period {
  if (spec.type === 'custom') {
    if (index !== 0) throw new RangeError('a custom budget has exactly one period');
    return { index: 0, start: Temporal.PlainDate.from(spec.startDate), end: Temporal.PlainDate.from(spec.endDate) };
  }
  const step = MONTHS[spec.type];
  const start = firstDay(spec).add({ months: step * index });
  return { index, start, end: start.add({ months: step }).subtract({ days: 1 }) };
}

/** The period containing `date`, or null for a custom budget whose span doesn't contain it. */
export function periodContaining(spec: PeriodSpec, date: Temporal.PlainDate): Period | null {
  if (spec.type === 'custom') {
    const p = periodAt(spec, 0);
    return Temporal.PlainDate.compare(date, p.start) >= 0 && Temporal.PlainDate.compare(date, p.end) <= 0 ? p : null;
  }
  const first = firstDay(spec);
  const months = (date.year - first.year) * 12 + (date.month - first.month);
  return periodAt(spec, Math.floor(months / MONTHS[spec.type]));
}

export const today = (timeZone: string) => Temporal.Now.plainDateISO(timeZone);

export function lengthInDays(p: Period): number {
  return p.start.until(p.end, { largestUnit: 'days' }).days + 1;
}

/** Share of the period elapsed on `day` (counting `day` itself), clamped to [0, 1]. */
export function elapsedShare(p: Period, day: Temporal.PlainDate): number {
  if (Temporal.PlainDate.compare(day, p.start) < 0) return 0;
  if (Temporal.PlainDate.compare(day, p.end) > 0) return 1;
  return (p.start.until(day, { largestUnit: 'days' }).days + 1) / lengthInDays(p);
}

export function label(spec: PeriodSpec, p: Period): string {
  switch (spec.type) {
    case 'monthly':
      return p.start.toLocaleString('en', { month: 'short', year: 'numeric' });
    case 'quarterly':
      return `Q${Math.floor((p.start.month - 1) / 3) + 1} ${p.start.year}`;
    case 'annual':
      return String(p.start.year);
    case 'custom':
      return `${p.start} – ${p.end}`;
  }
}
