// Exact comparison of decimal strings ("-12.50", "3"), without floating point.
const DECIMAL = /^-?\d+(\.\d+)?$/;

export const isDecimal = (s: string) => DECIMAL.test(s);

/** Scales a decimal string to an integer count of 10^-scale units. */
function scaled(s: string, scale: number): bigint {
  const neg = s.startsWith('-');
  const [int, frac = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
  return neg ? -v : v;
}

export function compareDecimal(a: string, b: string): number {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const x = scaled(a, scale);
  const y = scaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}
