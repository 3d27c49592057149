// Money for display, exactly: decimal strings rounded half-up to cents with BigInt, never floats.
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** "1234.565" → "1,234.57"; "-0.004" → "0.00". */
export function formatAmount(s: string, decimals = 2): string {
  const m = DECIMAL.exec(s.trim());
  if (!m) return s;
  const [, sign, int, frac = ''] = m;
  const scale = 10n ** BigInt(decimals);
  const padded = BigInt(int + frac.padEnd(decimals + 1, '0').slice(0, decimals + 1));
  const units = (padded + 5n) / 10n; // half-up on the first dropped digit
  const whole = (units / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (units % scale).toString().padStart(decimals, '0');
  const negative = sign === '-' && units !== 0n;
  return `${negative ? '-' : ''}${whole}${decimals ? `.${cents}` : ''}`;
}

export const formatMoney = (s: string, currency: string) => `${formatAmount(s)} ${currency}`;
