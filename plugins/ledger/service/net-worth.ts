// Net worth = assets − liabilities over open accounts, in the household's base currency. There are
// no exchange rates yet, so accounts in other currencies are totalled per currency beside it rather
// than converted (the UI shows them as "also held").
import type { Tx } from './tx.ts';

export type CurrencyTotals = { currency: string; assets: string; liabilities: string; netWorth: string };
export type NetWorth = CurrencyTotals & { otherCurrencies: CurrencyTotals[] };

export async function netWorth(tx: Tx): Promise<NetWorth> {
  const rows = await tx<CurrencyTotals & { base: boolean }>`
    with base as (select base_currency as currency from ledger.household_profile()),
    totals as (
      select currency,
        coalesce(sum(balance) filter (where not is_liability), 0) as assets,
        coalesce(sum(balance) filter (where is_liability), 0) as liabilities
      from ledger.accounts where not closed group by currency
      union all select currency, 0, 0 from base
    )
    select t.currency, sum(assets)::text as assets, sum(liabilities)::text as liabilities,
      (sum(assets) - sum(liabilities))::text as "netWorth", t.currency = (select currency from base) as base
    from totals t group by t.currency order by base desc, t.currency`;
  const [base, ...others] = rows;
  const strip = ({ base: _, ...totals }: CurrencyTotals & { base: boolean }) => totals;
  return { ...strip(base), otherCurrencies: others.map(strip) };
}
