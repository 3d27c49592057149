// Holdings and securities for an item's investment accounts: a few real-looking funds and stocks
// plus cash, quantities from the item's seed. The account's balance is the sum of its holdings.
import type { Rng } from './rng.ts';
import { stableId } from './rng.ts';
import type { FakeAccount } from './types.ts';

export type FakeSecurity = {
  security_id: string;
  name: string;
  ticker_symbol: string | null;
  type: string;
  subtype: string | null;
  close_price: number;
  is_cash_equivalent: boolean;
  isin: string | null;
  cusip: string | null;
  market_identifier_code: string | null;
  sector: string | null;
  industry: string | null;
};

export type FakeHolding = {
  account_id: string;
  security_id: string;
  quantity: number;
  price: number;
  cost_basis: number | null;
};

const sec = (ticker: string | null, name: string, type: string, subtype: string | null, price: number, extra: Partial<FakeSecurity> = {}): FakeSecurity => ({
  security_id: stableId(`security:${ticker ?? name}`), name, ticker_symbol: ticker, type, subtype, close_price: price,
  is_cash_equivalent: false, isin: null, cusip: null, market_identifier_code: 'XNAS', sector: null, industry: null, ...extra,
});

export const SECURITIES: FakeSecurity[] = [
  sec('VTI', 'Vanguard Total Stock Market ETF', 'etf', 'etf', 268.42, { isin: 'US9229087690', cusip: '922908769', market_identifier_code: 'ARCX', sector: 'Miscellaneous', industry: 'Investment Trusts or Mutual Funds' }),
  sec('VXUS', 'Vanguard Total International Stock ETF', 'etf', 'etf', 61.37, { isin: 'US9219097683', cusip: '921909768', sector: 'Miscellaneous', industry: 'Investment Trusts or Mutual Funds' }),
  sec('AAPL', 'Apple Inc.', 'equity', 'common stock', 189.84, { isin: 'US0378331005', cusip: '037833100', sector: 'Electronic Technology', industry: 'Telecommunications Equipment' }),
  sec('VBTLX', 'Vanguard Total Bond Market Index Fund Admiral Shares', 'mutual fund', 'mutual fund', 9.71, { isin: 'US9219376038', cusip: '921937603', sector: 'Miscellaneous', industry: 'Investment Trusts or Mutual Funds' }),
  sec('CUR:USD', 'U S Dollar', 'cash', 'cash', 1, { is_cash_equivalent: true, market_identifier_code: null }),
];

/** Holdings for each investment account; also sets those accounts' balances to the holdings' value. */
export function generateHoldings(rng: Rng, accounts: FakeAccount[]): FakeHolding[] {
  const out: FakeHolding[] = [];
  for (const account of accounts.filter((a) => a.type === 'investment')) {
    let value = 0;
    for (const s of SECURITIES) {
      if (!s.is_cash_equivalent && rng.chance(0.25)) continue;
      const quantity = s.is_cash_equivalent ? rng.cents(50, 2500) / 100 : Math.round(rng.int(5, 400) * 1000 * (0.5 + rng.next())) / 1000;
      const cost = s.is_cash_equivalent ? quantity : Math.round(quantity * s.close_price * (0.7 + rng.next() * 0.4) * 100) / 100;
      out.push({ account_id: account.account_id, security_id: s.security_id, quantity, price: s.close_price, cost_basis: cost });
      value += holdingValue({ quantity, price: s.close_price });
    }
    account.balances.current = Math.round(value * 100) / 100;
  }
  return out;
}

export function holdingValue(h: { quantity: number; price: number }): number {
  return Math.round(h.quantity * h.price * 100) / 100;
}
