// Exact decimal amounts as strings. Nothing here ever goes through a JS number: statements carry
// amounts like '1,234.56', '(12.50)', '1.234,56', '12.50-' and the ledger stores numeric, so we
// normalize text to text ('-1234.56') and do the little arithmetic we need with BigInt.

export type DecimalSeparator = '.' | ',';

export interface AmountOptions {
  /** Which character separates the fraction. 'either' (OFX): the single '.' or ',' present. */
  decimalSeparator?: DecimalSeparator | 'either';
  /** Accept currency symbols/codes, 'CR'/'DR' suffixes, trailing minus (bank CSV exports). */
  lenient?: boolean;
}

export type AmountResult = { ok: true; value: string } | { ok: false; reason: string };

const SPACES = /[\s\u00a0\u202f\u2009]/g;
const CURRENCY = /^(?:[$€£¥₹₩₽₺₪฿]|[A-Z]{3}|[A-Z]{1,2}\$|kr\.?|zł|Fr\.?)/;
const CURRENCY_END = /(?:[$€£¥₹₩₽₺₪฿]|[A-Z]{3}|kr\.?|zł|Fr\.?)$/;

/** Parse one amount as written in a file into a canonical decimal string. */
export function parseAmount(raw: string, options: AmountOptions = {}): AmountResult {
  const sep = options.decimalSeparator ?? '.';
  const lenient = options.lenient ?? false;
  const bad = (why?: string): AmountResult => ({ ok: false, reason: `'${raw}' is not a valid amount${why ? ` (${why})` : ''}` });
  let s = raw.trim();
  if (s === '') return { ok: false, reason: 'amount is empty' };
  let negative = false;
  let signs = 0;
  s = s.replace(/\u2212/g, '-');
  if (s.startsWith('(') && s.endsWith(')')) { negative = true; signs++; s = s.slice(1, -1).trim(); }
  if (lenient) {
    const suffix = /\s*(CR|DR|Cr|Dr)\.?$/.exec(s);
    if (suffix) { if (suffix[1].toUpperCase() === 'DR') negative = !negative; signs++; s = s.slice(0, suffix.index).trim(); }
  }
  for (let guard = 0; guard < 3; guard++) {
    const before = s;
    if (s.startsWith('-') || s.startsWith('+')) { if (s[0] === '-') negative = !negative; signs++; s = s.slice(1).trim(); }
    if (lenient) {
      const head = CURRENCY.exec(s);
      if (head) s = s.slice(head[0].length).trim();
      const tail = CURRENCY_END.exec(s);
      if (tail && tail.index > 0) s = s.slice(0, tail.index).trim();
      if (s.endsWith('-')) { negative = !negative; signs++; s = s.slice(0, -1).trim(); }
    }
    if (s === before) break;
  }
  if (signs > 1) return bad('more than one sign');
  if (s === '') return bad();
  let decimal: string;
  let group: RegExp;
  if (sep === 'either') {
    const dots = count(s, '.'), commas = count(s, ',');
    if (dots + commas > 1) return bad('OFX amounts have a single decimal separator and no grouping');
    decimal = commas === 1 ? ',' : '.';
    group = /(?!)/;
  } else {
    decimal = sep;
    group = sep === '.' ? /[,'\s\u00a0\u202f\u2009]/ : /[.'\s\u00a0\u202f\u2009]/;
  }
  const at = s.lastIndexOf(decimal);
  if (at !== s.indexOf(decimal)) return bad(`more than one '${decimal}'`);
  let intPart = at >= 0 ? s.slice(0, at) : s;
  const fracPart = at >= 0 ? s.slice(at + 1) : '';
  if (!/^\d*$/.test(fracPart)) {
    const other = decimal === '.' ? ',' : '.';
    return bad(sep !== 'either' && /^\d+$/.test(fracPart.replace(other, '')) ? `it looks like '${other}' is the decimal separator` : undefined);
  }
  if (group.test(intPart)) {
    const groups = intPart.split(new RegExp(group.source + '+'));
    const first = groups[0];
    if (!/^\d{1,3}$/.test(first) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) {
      return bad(`digit grouping does not fit '${decimal}' as the decimal separator`);
    }
    intPart = groups.join('');
  }
  if (!/^\d*$/.test(intPart)) return bad();
  if (intPart === '' && fracPart === '') return bad();
  return { ok: true, value: canonical(negative, intPart, fracPart) };
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

function canonical(negative: boolean, intPart: string, fracPart: string): string {
  const digits = intPart.replace(/^0+(?=\d)/, '') || '0';
  const body = fracPart ? `${digits}.${fracPart}` : digits;
  const zero = /^0+$/.test(digits + fracPart);
  return negative && !zero ? `-${body}` : body;
}

// --- exact arithmetic on canonical strings -------------------------------------------------------

function scaled(value: string): { units: bigint; scale: number } {
  const negative = value.startsWith('-');
  const [i, f = ''] = (negative ? value.slice(1) : value).split('.');
  const units = BigInt(i + f);
  return { units: negative ? -units : units, scale: f.length };
}

function fromScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const body = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${body}` : body;
}

/** a + b, exact; the result keeps the larger number of fraction digits. */
export function addDecimal(a: string, b: string): string {
  const x = scaled(a), y = scaled(b);
  const scale = Math.max(x.scale, y.scale);
  return fromScaled(x.units * 10n ** BigInt(scale - x.scale) + y.units * 10n ** BigInt(scale - y.scale), scale);
}

export function negateDecimal(a: string): string {
  if (/^-/.test(a)) return a.slice(1);
  return /^[0.]+$/.test(a) ? a : `-${a}`;
}

export function absDecimal(a: string): string {
  return a.startsWith('-') ? a.slice(1) : a;
}

export function isZeroDecimal(a: string): boolean {
  return /^-?[0.]+$/.test(a);
}

/** Sum of many canonical decimals. */
export function sumDecimals(values: Iterable<string>): string {
  let total = '0';
  for (const v of values) total = addDecimal(total, v);
  return total;
}
