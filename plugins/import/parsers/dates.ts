// Dates as written: every parser returns the calendar date the file shows, 'YYYY-MM-DD', and never
// converts through a Date object or a time zone (an OFX '20240102000000[-5:EST]' is 2 January even
// though it is 05:00 UTC). Two-digit years follow POSIX strptime: 00-68 -> 20xx, 69-99 -> 19xx.

export type DateResult = { ok: true; value: string } | { ok: false; reason: string };

export function isValidDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function checked(y: number, m: number, d: number): DateResult {
  if (m < 1 || m > 12) return { ok: false, reason: `month ${m}` };
  if (!isValidDate(y, m, d)) return { ok: false, reason: `day ${d} of ${ymd(y, m, 1).slice(0, 7)}` };
  return { ok: true, value: ymd(y, m, d) };
}

export function expandYear(two: number): number {
  return two <= 68 ? 2000 + two : 1900 + two;
}

// --- OFX: YYYYMMDD[HHMM[SS[.XXX]]][ [offset[:TZ]] ] -----------------------------------------------

const OFX_DATE = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d{1,6}))?)?)?\s*(?:\[\s*([+-]?\d{1,2}(?:[.:]\d+)?)\s*(?::\s*([^\]]*))?\])?$/;

export function parseOfxDate(raw: string): DateResult {
  const m = OFX_DATE.exec(raw.trim());
  if (!m) return { ok: false, reason: 'expected YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]]' };
  const [, y, mo, d, hh, mm, ss] = m;
  if (hh !== undefined && (Number(hh) > 24 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 60))) {
    return { ok: false, reason: `time ${hh}:${mm}${ss ? ':' + ss : ''}` };
  }
  return checked(Number(y), Number(mo), Number(d));
}

// --- CSV: explicit formats -----------------------------------------------------------------------

export const DATE_FORMATS = [
  'YYYY-MM-DD', 'YYYY/MM/DD', 'YYYY.MM.DD', 'YYYYMMDD',
  'MM/DD/YYYY', 'DD/MM/YYYY', 'DD.MM.YYYY', 'DD-MM-YYYY', 'MM-DD-YYYY',
  'MM/DD/YY', 'DD/MM/YY', 'DD.MM.YY', 'DD-MM-YY',
  'DD MMM YYYY', 'DD-MMM-YYYY', 'DD-MMM-YY', 'MMM DD YYYY', 'MMM DD, YYYY',
] as const;

export type DateFormat = (typeof DATE_FORMATS)[number];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

interface CompiledFormat { regex: RegExp; order: Array<'Y' | 'YY' | 'M' | 'MMM' | 'D'> }
const compiledCache = new Map<string, CompiledFormat>();

/** Longest date cell tried: a date with a time and a zone name fits ('Tue, 2 January 2024 13:45:00 CET'). */
export const MAX_DATE_LENGTH = 100;

type FormatPart = { token: string } | { sep: string } | { text: string };

/** The format as tokens, separator runs (whitespace and commas) and other literal text. */
function formatParts(format: string): FormatPart[] {
  const parts: FormatPart[] = [];
  const token = /YYYY|YY|MMM|MM|M|DD|D/y;
  for (let i = 0; i < format.length;) {
    token.lastIndex = i;
    const t = token.exec(format);
    if (t) { parts.push({ token: t[0] }); i += t[0].length; continue; }
    const ch = format[i++];
    const last = parts[parts.length - 1];
    if (ch === ',' || /\s/.test(ch)) {
      if (last && 'sep' in last) last.sep += ch; else parts.push({ sep: ch });
    } else if (last && 'text' in last) last.text += ch;
    else parts.push({ text: ch });
  }
  return parts;
}

const optionalCommas = (n: number) => (n === 1 ? ',?' : `,{0,${n}}`);

/**
 * A run of whitespace and commas: whitespace (however much the format has) is one \s+, commas are
 * optional. Commas between two whitespace runs ('D , M') go with the whitespace after them,
 * '\s+(?:,\s+)?', so that no two \s+ can share out the same spaces. At the end of the format
 * only the commas count: whitespace there would compete with the time allowed after the date.
 */
function separatorSource(run: string, atEnd: boolean): string {
  const groups = run.match(/,+|\s+/g)!;
  if (atEnd) {
    const commas = groups.filter((g) => g[0] === ',').reduce((n, g) => n + g.length, 0);
    return commas ? optionalCommas(commas) : '';
  }
  let i = 0, source = '';
  if (groups[0][0] === ',') source += optionalCommas(groups[i++].length);
  if (i === groups.length) return source;
  source += '\\s+';
  i++;
  let pairs = 0, widest = 0;
  for (; i + 1 < groups.length; i += 2) { pairs++; widest = Math.max(widest, groups[i].length); }
  if (pairs) source += `(?:${widest === 1 ? ',' : `,{1,${widest}}`}\\s+)${pairs === 1 ? '?' : `{0,${pairs}}`}`;
  if (i < groups.length) source += optionalCommas(groups[i].length);
  return source;
}

// Custom formats come from users, and the regex built from one must take time linear in the cell
// whatever the format: no two neighbouring parts may be able to match the same characters, or a
// cell that almost matches is retried in every way of sharing them out (each space of a format
// used to be its own \s+: ten spaces took 18 s on a 42-character cell). Hence separator runs as
// above; D and M two digits wide when a digit can follow directly (YYYYMMDD, 'DDMM.YYYY'); MMM
// without its optional '.' when the format writes one after it; whitespace at the ends of the
// format ignored (cells are trimmed). What remains ambiguous is bounded by the format: a month name
// next to a letter (at most 7 ways) and numbers with only optional commas between them ('D,M': 2
// ways); a valid format has three fields. Cells longer than MAX_DATE_LENGTH are not tried at all.
function compile(format: string): CompiledFormat {
  const hit = compiledCache.get(format);
  if (hit) return hit;
  const order: CompiledFormat['order'] = [];
  const parts = formatParts(format.trim());
  const compact = !/[^A-Z]/.test(format.trim()); // YYYYMMDD: fixed widths
  let source = '';
  parts.forEach((part, i) => {
    const next = parts[i + 1];
    if ('sep' in part) { source += separatorSource(part.sep, i === parts.length - 1); return; }
    if ('text' in part) { source += part.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); return; }
    const tok = part.token;
    const digitNext = next !== undefined && (('token' in next && next.token !== 'MMM') || ('text' in next && /^\d/.test(next.text)));
    const number = compact || digitNext ? '(\\d{2})' : '(\\d{1,2})';
    if (tok === 'YYYY') { order.push('Y'); source += '(\\d{4})'; }
    else if (tok === 'YY') { order.push('YY'); source += '(\\d{2})'; }
    else if (tok === 'MMM') { order.push('MMM'); source += next && 'text' in next && next.text[0] === '.' ? '([A-Za-z]{3,9})' : '([A-Za-z]{3,9})\\.?'; }
    else if (tok[0] === 'M') { order.push('M'); source += number; }
    else { order.push('D'); source += number; }
  });
  // A time after the date ('2024-01-02 13:45', '2024-01-02T13:45:00Z') is allowed and ignored.
  const compiled = { regex: new RegExp(`^${source}(?:[T\\s].*)?$`), order };
  if (compiledCache.size >= 200) compiledCache.clear(); // formats are user input: keep the cache small
  compiledCache.set(format, compiled);
  return compiled;
}

export function isKnownDateFormat(format: string): boolean {
  return (DATE_FORMATS as readonly string[]).includes(format);
}

export function parseDateWithFormat(raw: string, format: string): DateResult {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'date is empty' };
  if (text.length > MAX_DATE_LENGTH) return { ok: false, reason: `${text.length} characters long; a date has at most ${MAX_DATE_LENGTH}` };
  const { regex, order } = compile(format);
  const m = regex.exec(text);
  if (!m) return { ok: false, reason: `does not match ${format}` };
  let y = 0, mo = 0, d = 0;
  order.forEach((part, i) => {
    const v = m[i + 1];
    if (part === 'Y') y = Number(v);
    else if (part === 'YY') y = expandYear(Number(v));
    else if (part === 'M') mo = Number(v);
    else if (part === 'MMM') mo = MONTHS.indexOf(v.slice(0, 3).toLowerCase()) + 1;
    else d = Number(v);
  });
  if (mo === 0) return { ok: false, reason: `unknown month name` };
  return checked(y, mo, d);
}

/** The formats (from DATE_FORMATS) that read every non-empty sample as a valid date. */
export function matchingDateFormats(samples: string[]): DateFormat[] {
  const values = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (values.length === 0) return [];
  return DATE_FORMATS.filter((f) => values.every((v) => parseDateWithFormat(v, f).ok));
}

// --- QIF: 1/2'24, 01/02/2024, 12/19/18, 2024-01-02, 02.01.2024, ' 1/ 2/ 4' ------------------------

export type QifDateOrder = 'MDY' | 'DMY' | 'YMD';

interface QifDateParts { a: number; b: number; c: number; apostrophe: boolean; yearFirst: boolean; cWidth: number }

function splitQifDate(raw: string): QifDateParts | undefined {
  const text = raw.replace(/\s+/g, '');
  const m = /^(\d{1,4})[/.\-](\d{1,2})(['/.\-])(\d{1,4})$/.exec(text);
  if (!m) return undefined;
  return {
    a: Number(m[1]), b: Number(m[2]), c: Number(m[4]),
    apostrophe: m[3] === "'", yearFirst: m[1].length === 4, cWidth: m[4].length,
  };
}

export function parseQifDate(raw: string, order: QifDateOrder): DateResult {
  const p = splitQifDate(raw);
  if (!p) return { ok: false, reason: 'expected a date like 01/02/2024, 1/2\'24 or 2024-01-02' };
  if (p.yearFirst) return checked(p.a, p.b, p.c);
  // Quicken writes years after an apostrophe as years since 2000 ('1/2'4' is 2004).
  const year = p.cWidth === 4 ? p.c : p.apostrophe ? 2000 + p.c : expandYear(p.c);
  return order === 'DMY' ? checked(year, p.b, p.a) : checked(year, p.a, p.b);
}

/**
 * QIF carries no date order. Look at all dates: a first field over 12 means day-first, a second
 * over 12 means month-first; dotted dates (02.01.2024) are day-first by convention; otherwise
 * Quicken's US default, month-first, and `ambiguous` says nothing in the file proved it.
 */
export function detectQifDateOrder(raws: string[]): { order: QifDateOrder; ambiguous: boolean; conflict: boolean } {
  let dayFirst = false, monthFirst = false, dotted = false, differs = false;
  for (const raw of raws) {
    const p = splitQifDate(raw);
    if (!p || p.yearFirst) continue;
    if (p.a > 12) dayFirst = true;
    if (p.b > 12) monthFirst = true;
    if (p.a !== p.b) differs = true;
    if (raw.includes('.')) dotted = true;
  }
  if (dayFirst && monthFirst) return { order: 'MDY', ambiguous: false, conflict: true };
  if (dayFirst) return { order: 'DMY', ambiguous: false, conflict: false };
  if (monthFirst) return { order: 'MDY', ambiguous: false, conflict: false };
  if (dotted) return { order: 'DMY', ambiguous: differs, conflict: false };
  return { order: 'MDY', ambiguous: differs, conflict: false };
}

/** Why a (possibly custom) date format cannot work, or undefined when it can. */
export function dateFormatProblem(format: string): string | undefined {
  const { order } = compile(format);
  const has = (p: string) => order.some((o) => o.startsWith(p));
  if (!has('Y') || !(has('M')) || !has('D') || order.length !== 3) {
    return `date format '${format}' needs a year (YYYY or YY), a month (MM or MMM) and a day (DD)`;
  }
  return undefined;
}
